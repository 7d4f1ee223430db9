"""The rule catalogue agrees with the specs and the registry, takes its examples from real
reports, and is Markdown that myst-parser reads without raw HTML or skipped heading levels."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import SAMPLES

import trialguard
from trialguard.catalogue.build import build_catalogue
from trialguard.catalogue.jsondoc import SCHEMA, catalogue_from_json, catalogue_json
from trialguard.catalogue.kinds import kinds_markdown
from trialguard.catalogue.markdown import NO_EXAMPLE, catalogue_markdown, rule_heading
from trialguard.catalogue.text import escaped, paragraph
from trialguard.errors import InputError
from trialguard.spec.catalogue import bundled_specs
from trialguard.spec.loader import load_spec
from trialguard.validators.catalogue import all_kinds

OVERRIDING_SPEC = """\
id: trial-b
version: "2"
title: "Trial B | a trial spec that overrides *two* rules"
extends: [resolution]
rules:
  - {id: RES-AGE, kind: age_range, severity: warning, override: true,
     description: Age at consent is 18 to 65 years., source: Protocol B section 5.1,
     params: {max_age: 65}}
  - {id: SD-DTC, kind: iso8601_dates, severity: warning, override: true,
     description: "--DTC values are ISO 8601 (complete, partial or intervals) and real
       calendar dates.", source: SDTMIG 3.4 §4.4.1-4.4.3}
"""


@pytest.fixture(scope="module")
def defects_report(tmp_path_factory) -> Path:
    report = trialguard.validate(SAMPLES / "defects", spec="resolution")
    return report.write_json(tmp_path_factory.mktemp("reports") / "resolution.json")


@pytest.fixture(scope="module")
def bundled(defects_report):
    return build_catalogue(examples=[defects_report])


@pytest.fixture(scope="module")
def overriding(tmp_path_factory, defects_report):
    path = tmp_path_factory.mktemp("specs") / "trial-b.yaml"
    path.write_text(OVERRIDING_SPEC, encoding="utf-8")
    return build_catalogue([str(path)], examples=[defects_report])


def entries_by_key(cat):
    return {(entry.spec, entry.id): entry for entry in cat.entries()}


def defining_spec(origin: str) -> str:
    """The spec that last defined or overrode a rule, from the loader's `origin`."""
    return origin.rsplit(", overridden in ", 1)[-1]


def test_every_rule_of_every_bundled_spec_is_listed_under_the_spec_that_defines_it(bundled):
    entries = entries_by_key(bundled)
    assert len(entries) == len(bundled.entries())  # once per (spec, rule id)
    for header in bundled_specs():
        for loaded in load_spec(header.id).rules:
            entry = entries[(defining_spec(loaded.origin), loaded.rule.id)]
            assert header.id in entry.run_by
            # the catalogue's parameters, read as the spec's, give the parameters the rule runs with
            given = {p.name: p.value for p in entry.parameters}
            assert loaded.check.params.model_validate(given) == loaded.params
            assert set(given) == set(loaded.params.model_dump(by_alias=True))
            assert (entry.kind, entry.severity) == (loaded.rule.kind, loaded.rule.severity.value)


def test_every_entry_has_a_registered_kind_and_sits_under_its_spec(bundled):
    kinds = all_kinds()
    assert {spec.id for spec in bundled.specs} == {header.id for header in bundled_specs()}
    for spec in bundled.specs:
        for entry in spec.entries:
            assert entry.spec == spec.id
            assert entry.kind_summary == kinds[entry.kind].summary
            assert entry.stage == kinds[entry.kind].stage


def test_a_rule_cites_the_pinnacle_21_publisher_and_core_ids_of_its_source(bundled):
    entry = entries_by_key(bundled)[("sdtm", "SD-SUPP-PARENT")]
    assert entry.cited.pinnacle21 == "SD0072, SD0075, SD0077, SD1065, SD1072"
    assert entry.cited.publisher == "FDAC065, FDAC066, FDAC074, FDAC160, FDAC204"
    assert entry.cited.core.startswith("CORE-000538, CORE-000457")


def test_an_override_has_its_own_entry_saying_what_it_changes(overriding):
    entries = entries_by_key(overriding)
    assert [spec.id for spec in overriding.specs] == [
        "transfer", "sdtm", "cell-therapy", "resolution", "trial-b"
    ]  # fmt: skip
    age = entries[("trial-b", "RES-AGE")]
    assert age.override is not None and age.override.base == "resolution"
    assert (age.override.fields, age.override.params) == (
        ("description", "severity", "source"), ("max_age",)
    )  # fmt: skip
    assert {p.name: (p.value, p.set_in) for p in age.parameters} == {
        "min_age": (18.0, "resolution"),
        "max_age": (65.0, "trial-b"),
    }
    assert age.run_by == ("trial-b",)
    assert "trial-b" not in entries[("resolution", "RES-AGE")].run_by
    dates = entries[("trial-b", "SD-DTC")]
    assert dates.override is not None and dates.override.fields == ("severity",)
    assert rule_heading(dates) == "SD-DTC (trial-b)"


def test_an_example_is_the_first_finding_of_the_rule_in_the_report(bundled, defects_report):
    first: dict[str, dict] = {}
    for finding in json.loads(defects_report.read_text(encoding="utf-8"))["findings"]:
        first.setdefault(finding["rule_id"], finding)
    examples = {e.id: e.example for e in bundled.entries() if "resolution" in e.run_by}
    assert {rule for rule, example in examples.items() if example is not None} == set(first)
    for rule_id, finding in first.items():
        example = examples[rule_id]
        assert example is not None
        assert (example.message, example.dataset, example.record, example.usubjid) == (
            finding["message"], finding["domain"], finding["record"], finding["usubjid"]
        )  # fmt: skip
        assert (list(example.variables), example.values) == (
            finding["variables"], finding["values"]
        )  # fmt: skip
        assert (example.spec, example.study) == ("resolution 1.0.0", "ALLO-329-10, ALLO-329-101")
        assert example.report == str(defects_report)


def test_a_rule_without_findings_says_so(bundled):
    entry = entries_by_key(bundled)[("transfer", "TRANSFER-MANIFEST")]
    assert entry.example is None
    page = catalogue_markdown(bundled)
    section = page.split("### TRANSFER-MANIFEST\n", 1)[1].split("\n### ", 1)[0]
    assert f"Example: {NO_EXAMPLE}; its message reads `{entry.message}`." in section


def test_an_override_gives_no_example_from_a_report_of_the_spec_it_overrides(overriding):
    entries = entries_by_key(overriding)
    assert entries[("resolution", "RES-AGE")].example is not None
    assert entries[("trial-b", "RES-AGE")].example is None


def test_a_report_of_a_spec_the_catalogue_does_not_list_gives_no_example(tmp_path, defects_report):
    """Its rule of the same id may run with other parameters: its findings would mislead."""
    report = json.loads(defects_report.read_text(encoding="utf-8"))
    report["spec"] |= {"id": "elsewhere", "version": "7"}
    path = tmp_path / "elsewhere.json"
    path.write_text(json.dumps(report), encoding="utf-8")
    entries = entries_by_key(build_catalogue(["cell-therapy"], examples=[path]))
    assert entries[("cell-therapy", "CT-DLT-WIN")].example is None
    named = entries_by_key(build_catalogue(["cell-therapy"], examples=[defects_report]))
    assert named[("cell-therapy", "CT-DLT-WIN")].example is not None


@pytest.mark.parametrize(
    ("change", "refused"),
    [
        (lambda r: r["findings"][0].update(rule_id=["RES-AGE"]), True),
        (lambda r: r["findings"][0].update(severity="fatal"), True),
        (lambda r: r["study"].update(studyid=5), False),
    ],
    ids=["rule id a list", "unknown severity", "study id a number"],
)
def test_a_report_with_odd_values_is_read_or_refused_naming_the_finding(
    tmp_path, defects_report, change, refused
):
    report = json.loads(defects_report.read_text(encoding="utf-8"))
    change(report)
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(report), encoding="utf-8")
    if refused:
        with pytest.raises(InputError, match="odd.json") as raised:
            build_catalogue(["resolution"], examples=[path])
        assert raised.value.reason.startswith("finding 1 of the report")
    else:
        entries = entries_by_key(build_catalogue(["resolution"], examples=[path]))
        assert entries[("resolution", "RES-AGE")].example.study == "5"


def test_a_report_past_the_example_limit_is_refused_before_it_is_read(
    tmp_path, defects_report, monkeypatch
):
    from trialguard.catalogue import examples

    monkeypatch.setattr(examples, "EXAMPLE_REPORT_BYTES", 100)
    with pytest.raises(InputError, match="more than the 100 read for examples"):
        build_catalogue(["resolution"], examples=[defects_report])


@pytest.mark.parametrize(
    "text", ['{"rules": []}', "[1, 2]", "not json", '{"inputs": [], "findings": [{}]}']
)
def test_a_file_that_is_not_a_report_is_an_input_error_naming_it(tmp_path, text):
    path = tmp_path / "other.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="other.json") as raised:
        build_catalogue(["transfer"], examples=[path])
    assert "report" in raised.value.reason


def test_the_json_round_trips_and_says_what_it_is(overriding):
    text = catalogue_json(overriding)
    assert json.loads(text)["schema"] == SCHEMA
    assert catalogue_from_json(text) == overriding
    assert catalogue_json(catalogue_from_json(text)) == text


def markdown_parser():
    markdown_it = pytest.importorskip("markdown_it")
    return markdown_it.MarkdownIt("commonmark").enable("table")


def headings(page: str) -> list[tuple[int, str]]:
    tokens = markdown_parser().parse(page)
    return [
        (int(token.tag[1]), tokens[index + 1].content)
        for index, token in enumerate(tokens)
        if token.type == "heading_open"
    ]


@pytest.mark.parametrize("which", ["bundled", "overriding"])
def test_the_markdown_has_unique_headings_that_skip_no_level(request, which):
    cat = request.getfixturevalue(which)
    found = headings(catalogue_markdown(cat))
    levels = [level for level, _ in found]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(later - earlier <= 1 for earlier, later in zip(levels, levels[1:], strict=False))
    texts = [text for _, text in found]
    assert len(texts) == len(set(texts)) == 1 + len(cat.specs) + len(cat.entries())


UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def test_the_markdown_holds_no_raw_html_and_no_stray_column(overriding):
    page = catalogue_markdown(overriding) + "\n" + kinds_markdown()
    tokens = markdown_parser().parse(page)
    inline = [child for token in tokens for child in token.children or ()]
    assert not [t for t in tokens + inline if t.type.startswith("html")]
    assert "<p>Trial B | a trial spec that overrides *two* rules</p>" in markdown_parser().render(
        page
    )
    columns = 0
    for line in page.splitlines():
        if not line.startswith("| "):
            columns = 0
        elif columns == 0:  # a table's header row
            columns = len(UNESCAPED_PIPE.findall(line))
        else:
            assert len(UNESCAPED_PIPE.findall(line)) == columns, line


def test_free_text_is_escaped_where_markdown_would_act_on_it():
    assert escaped("a <b>bold</b> *word* and [a](link) `code`") == (
        "a \\<b>bold\\</b> \\*word\\* and \\[a\\](link) \\`code\\`"
    )
    assert escaped("AE_TERM stays; _this_ does not; AGE < 18") == (
        "AE_TERM stays; \\_this\\_ does not; AGE < 18"
    )
    assert paragraph("--DTC values") == "\\--DTC values"
    assert paragraph("1. first") == "1\\. first"


def test_the_kinds_page_lists_every_registered_kind_with_its_parameters():
    page = kinds_markdown()
    rows = {line.split(" | ")[0][2:]: line for line in page.splitlines() if line.startswith("| `")}
    assert set(rows) == {f"`{kind}`" for kind in all_kinds()}
    age = rows["`age_range`"]
    assert "`min_age: float` (required)" in age
    assert "`max_age: float \\| None = null`" in age
    assert "| protocol | study |" in age
    assert rows["`dlt_window`"].endswith("| none |")
