"""Where GX and trialguard must answer differently, case by case (docs/gx.md lists them): the
approximate kinds, and a sponsor variable that no exported suite names."""

from __future__ import annotations

import pytest
from conftest import make_ae, make_dm, make_ex, subject
from plain_gx import run_exported

from trialguard.gx.export import export_suites
from trialguard.pipeline import validate_study
from trialguard.readers.study import Study
from trialguard.selection import RuleSelection
from trialguard.spec.loader import load_spec
from trialguard.standards import DEFAULT_STANDARDS


def both_ways(tmp_path, rule: str, *datasets) -> tuple[set, set]:
    """(records trialguard finds, records plain GX finds) for one rule of the sdtm spec."""
    spec = load_spec("sdtm")
    study = Study({d.name: d for d in datasets})
    report = validate_study(study, spec, selection=RuleSelection.of([rule]))
    ours = {(f.domain, f.record) for f in report.rule(rule).findings}
    written = export_suites(spec, tmp_path, DEFAULT_STANDARDS, approximate=True)
    plain = run_exported(study, written.suites, rules={rule})
    return ours, {(name, record) for r, name, record, _ in plain.found if r == rule}


def test_a_date_the_calendar_does_not_have_passes_the_gx_pattern(tmp_path):
    ae = make_ae({"USUBJID": subject(1), "AESTDTC": "2025-02-30"})
    ours, gx = both_ways(tmp_path, "SD-DTC", make_dm({"USUBJID": subject(1)}), ae)
    assert (ours, gx) == ({("AE", 1)}, set())


def test_gx_counts_characters_where_xpt_counts_bytes(tmp_path):
    ae = make_ae({"USUBJID": subject(1), "AETERM": "é" * 150})  # 150 characters, 300 bytes
    ours, gx = both_ways(tmp_path, "SD-LEN", make_dm({"USUBJID": subject(1)}), ae)
    assert (ours, gx) == ({("AE", 1)}, set())


def test_a_number_written_inf_is_a_number_to_trialguard_not_to_the_gx_pattern(tmp_path):
    dm = make_dm({"USUBJID": subject(1), "AGE": "inf"})
    ours, gx = both_ways(tmp_path, "SD-NUM", dm)
    assert (ours, gx) == (set(), {("DM", 1)})


def test_a_sponsor_variable_is_checked_by_trialguard_and_named_by_no_exported_suite(tmp_path):
    ae = make_ae({"USUBJID": subject(1), "AE_NOTE": "see\tnote"})
    ours, gx = both_ways(tmp_path, "SD-TEXT", make_dm({"USUBJID": subject(1)}), ae)
    assert (ours, gx) == ({("AE", 1)}, set())


@pytest.mark.parametrize("rule", ["SD-DTC", "SD-LEN", "SD-NUM"])
def test_on_ordinary_values_the_approximate_kinds_agree(tmp_path, rule):
    dm = make_dm({"USUBJID": subject(1), "AGE": "4O"}, {"USUBJID": subject(2)})
    ae = make_ae(
        {"USUBJID": subject(1), "AESTDTC": "2025-3-1", "AETERM": "x" * 201},
        {"USUBJID": subject(2), "AESTDTC": "2025-03-01", "AETERM": "NAUSEA", "AESEQ": "2"},
    )
    ex = make_ex({"USUBJID": subject(1)})
    ours, gx = both_ways(tmp_path, rule, dm, ae, ex)
    assert ours == gx and len(ours) == 1
