"""A rule's source and assumed note come from the spec that set the values in effect."""

from __future__ import annotations

import importlib
import inspect
import json
import re
import textwrap
from pathlib import Path

import pytest
from conftest import SAMPLES

from trialguard.pipeline import validate
from trialguard.reporting.html import render_html
from trialguard.reporting.json import build_json
from trialguard.spec.loader import load_spec
from trialguard.spec.provenance import READS
from trialguard.validators.catalogue import all_kinds

WINDOW_SOURCE = "Protocol ALLO-329-101 amendment 2 section 8.3 DLT period Day 0 to Day 21"
DLT_RULES = ("CT-DLT-WIN", "CT-DLT-MISS")


def write_spec(folder: Path, body: str, name: str = "child.yaml") -> str:
    path = folder / name
    path.write_text("id: child\nversion: '1'\ntitle: Child\n" + textwrap.dedent(body))
    return str(path)


def rules_of(spec_path: str) -> dict:
    return {loaded.rule.id: loaded.rule for loaded in load_spec(spec_path).rules}


@pytest.fixture
def window_21(tmp_path) -> str:
    return write_spec(
        tmp_path,
        f"""\
        extends: [resolution]
        protocol:
          dlt_window: {{first_day: 0, last_day: 21, source: "{WINDOW_SOURCE}"}}
        """,
    )


def test_the_bundled_window_is_assumed_on_every_rule_that_reads_it():
    rules = rules_of("resolution")
    for rule_id in (*DLT_RULES, "RES-ESC"):
        assert rules[rule_id].assumed
        assert "DLT window Day 0 to Day 28 is assumed" in rules[rule_id].assumption
    assert rules["RES-ESC"].assumption.startswith("Separate ladders per lymphodepletion arm")
    assert not rules["CT-DLT-AE"].assumed  # reads no window


def test_a_window_set_by_the_extending_spec_replaces_the_note_and_adds_its_source(window_21):
    rules = rules_of(window_21)
    for rule_id in DLT_RULES:
        assert not rules[rule_id].assumed and rules[rule_id].assumption is None
        assert rules[rule_id].source.endswith(f"DLT window Day 0 to Day 21: {WINDOW_SOURCE}")
    escalation = rules["RES-ESC"]  # its own assumption (the ladders) still stands
    assert escalation.assumed and "Day 0 to Day 28" not in escalation.assumption
    assert WINDOW_SOURCE in escalation.source


def test_an_assumed_window_of_the_extending_spec_keeps_the_rules_assumed(tmp_path):
    spec = write_spec(
        tmp_path,
        """\
        extends: [resolution]
        protocol:
          dlt_window: {first_day: 0, last_day: 42, source: "sponsor practice", assumed: true}
        """,
    )
    rule = rules_of(spec)["CT-DLT-WIN"]
    assert rule.assumed
    assert rule.assumption == "The DLT window Day 0 to Day 42 is assumed: sponsor practice."


def test_the_report_shows_the_source_in_effect_and_no_assumed_note(window_21):
    report = validate(SAMPLES / "clean", window_21, timestamp="2026-01-01T00:00:00Z")
    data = build_json(report)
    by_id = {rule["id"]: rule for rule in data["rules"]}
    for rule_id in DLT_RULES:
        assert by_id[rule_id]["assumed"] is False and by_id[rule_id]["assumption"] is None
        assert WINDOW_SOURCE in by_id[rule_id]["source"]
    assert data["spec"]["assumptions"] == []
    page = render_html(report)
    summary = page[page.index("Assumptions this run rests on") : page.index('id="rules"')]
    assert "CT-DLT" not in summary and "Day 0 to Day 28" not in summary
    for rule_id in DLT_RULES:
        row = re.search(rf"<code>{rule_id}</code>.*?</tr>", page, re.S)
        assert row and WINDOW_SOURCE in row.group() and 'class="assumed"' not in row.group()


def test_an_override_setting_parameters_states_its_own_provenance(tmp_path):
    write_spec(
        tmp_path,
        """\
        extends: [resolution]
        rules:
          - id: RES-SCREEN
            kind: screening_window
            severity: error
            description: Consent at most 35 days before the first treatment.
            source: Protocol amendment 3 section 6.1
            override: true
            params: {max_days: 35}
        """,
    )
    rule = rules_of(str(tmp_path / "child.yaml"))["RES-SCREEN"]
    assert rule.source == "Protocol amendment 3 section 6.1"
    assert not rule.assumed and rule.assumption is None


def test_an_override_of_the_severity_only_keeps_the_base_note(tmp_path):
    spec = write_spec(
        tmp_path,
        """\
        extends: [resolution]
        rules:
          - {id: RES-SCREEN, kind: screening_window, severity: warning, override: true,
             description: d, source: "Protocol section 6.1"}
        """,
    )
    rule = rules_of(spec)["RES-SCREEN"]
    assert rule.assumed and rule.assumption.startswith("Screening is counted from informed consent")


def test_endpoints_set_by_the_extending_spec_replace_the_endpoint_notes(tmp_path):
    base = load_spec("ab-101").protocol.endpoints.model_dump(mode="json")
    base["disease"] |= {"assumed": False, "source": "SAP section 9"}
    base["visit"] |= {"assumed": False, "source": "SAP section 9"}
    for instrument in base["instruments"]:
        instrument |= {"assumed": False, "source": "SAP section 9"}
    # JSON is YAML: the endpoints are written as one flow mapping
    spec = write_spec(tmp_path, "extends: [ab-101]\nprotocol:\n  endpoints: " + json.dumps(base))
    before, after = rules_of("ab-101"), rules_of(spec)
    for rule_id in ("AB-DX", "AB-W52", "AB-W52-RANGE", "AB-W52-RESP", "AB-DAS28"):
        assert before[rule_id].assumed and "MHCAT = PRIMARY DIAGNOSIS" in before[rule_id].assumption
        assert not after[rule_id].assumed
        assert after[rule_id].source.endswith("efficacy endpoints: SAP section 9")


def test_every_kind_that_reads_the_window_or_the_endpoints_is_listed():
    """The kinds whose checks read protocol.dlt_window or protocol.endpoints (directly or through
    a helper of another protocol module) are the kinds READS lists, and no others."""
    reading = {
        kind: sorted(_protocol_values_read(check.function)) for kind, check in all_kinds().items()
    }
    assert {kind: values for kind, values in reading.items() if values} == {
        kind: sorted(values) for kind, values in READS.items()
    }


MARKERS = {"dlt_window": "dlt_window(context", "endpoints": "protocol.endpoints"}


def _protocol_values_read(function) -> set[str]:
    module = inspect.getmodule(function)
    seen: set[str] = set()
    pending = [module]
    found: set[str] = set()
    while pending:
        current = pending.pop()
        if current is None or current.__name__ in seen:
            continue
        seen.add(current.__name__)
        text = inspect.getsource(current)
        found |= {value for value, marker in MARKERS.items() if marker in text}
        pending += [
            importlib.import_module(obj.__module__)
            for obj in vars(current).values()
            if callable(obj) and getattr(obj, "__module__", "").startswith("trialguard.validators")
        ]
    return found
