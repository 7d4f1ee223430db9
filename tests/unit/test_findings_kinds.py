"""paired_terminology, reference_range_indicator, single_baseline, subject_baseline and
visits_in_sv on hand-made frames."""

from __future__ import annotations

from functools import cache

import pytest
from conftest import CT_2025, STUDY, check, dataset, hits, make_dm, make_ex, subject

from trialguard.sdtm.ct_release import load_ct_release
from trialguard.standards import DEFAULT_STANDARDS, Standards


def findings(name: str, *rows: dict):
    prefix = name[:2]
    base = {"STUDYID": STUDY, "DOMAIN": prefix}
    return dataset(name, [base | {f"{prefix}SEQ": str(i)} | r for i, r in enumerate(rows, 1)])


def records(result, domain: str | None = None) -> list[int]:
    return [r for d, r, _ in hits(result) if domain is None or d == domain]


@cache
def with_release() -> Standards:
    return Standards(DEFAULT_STANDARDS.ig, load_ct_release(CT_2025))


needs_ct = pytest.mark.skipif(not CT_2025.is_file(), reason="CT release not available")


@needs_ct
def test_a_code_and_a_name_are_one_term_of_the_paired_codelists():
    def row(code, name):
        return {"USUBJID": subject(1), "LBTESTCD": code, "LBTEST": name}

    lb = findings(
        "LB",
        row("ALB", "Albumin"),
        row("ALB", "Hemoglobin"),
        row("HGB", "Haemoglobin"),
        row("SPNSR1", "A sponsor test"),
        row("SPNSR2", "Hemoglobin"),
        row("HGB", ""),
    )
    ts = findings("TS", {"TSPARMCD": "AGEMIN", "TSPARM": "Oldest age"})  # SD-TS-PARM's
    result = check("paired_terminology", lb, ts, standards=with_release())
    assert hits(result) == [("LB", 2, subject(1)), ("LB", 3, subject(1)), ("LB", 5, subject(1))]
    assert [f.message for f in result.findings][::2] == [
        "LBTESTCD 'ALB' and LBTEST 'Hemoglobin' are not the code and name of one term of "
        "LBTESTCD/LBTEST (CDISC CT 2025-03-25): the release names ALB 'Albumin'",
        "LBTESTCD 'SPNSR2' and LBTEST 'Hemoglobin' are not the code and name of one term of "
        "LBTESTCD/LBTEST (CDISC CT 2025-03-25): SPNSR2 is not a code of these codelists",
    ]


@needs_ct
def test_questionnaire_tests_pair_by_the_instrument_codelists_and_a_split_dataset_counts():
    qs = findings(
        "QS",
        {
            "USUBJID": subject(1),
            "QSTESTCD": "AIMS0101",
            "QSTEST": "AIMS01-Muscles of Facial Expression",
        },
        {
            "USUBJID": subject(1),
            "QSTESTCD": "AIMS0102",
            "QSTEST": "AIMS01-Muscles of Facial Expression",
        },
    )
    result = check("paired_terminology", qs, standards=with_release())
    assert hits(result) == [("QS", 2, subject(1))]


def test_paired_terminology_needs_the_study_release():
    ts = findings("TS", {"TSPARMCD": "AGEMIN", "TSPARM": "Oldest age"})
    result = check("paired_terminology", ts)
    assert result.status == "not_run"
    assert result.reason == "needs the study's CT release: give --ct"


def test_the_reference_range_indicator_agrees_with_the_result():
    rows = [
        ("LOW", 1.0, 2.0, 5.0),  # below: right
        ("LOW", 3.0, 2.0, 5.0),  # within: wrong
        ("HIGH", 5.0, 2.0, 5.0),  # at the upper limit: wrong
        ("HIGH", 6.0, 2.0, 5.0),
        ("NORMAL", 2.0, 2.0, 5.0),  # at the lower limit: normal
        ("NORMAL", 6.0, 2.0, 5.0),  # wrong
        ("ABNORMAL", 3.0, 2.0, 5.0),  # left alone
        ("LOW", None, 2.0, 5.0),  # no numeric result
        ("HIGH", 9.0, 2.0, None),  # no upper limit
        ("NORMAL", 1.0, None, 5.0),  # within the one limit given
        ("normal ", 1.0, 2.0, 5.0),  # read as NORMAL
    ]
    qs = findings(
        "QS",
        *(
            {"USUBJID": subject(1), "QSNRIND": i, "QSSTRESN": r, "QSSTNRLO": lo, "QSSTNRHI": hi}
            for i, r, lo, hi in rows
        ),
    )
    result = check("reference_range_indicator", qs)
    assert records(result) == [2, 3, 6, 11]
    assert result.findings[0].message == (
        "QSNRIND 'LOW' does not agree with QSSTRESN 3 and the range 2 to 5"
    )


def test_an_indicator_that_agrees_in_original_units_stands():
    def row(indicator, original, standard):
        return {
            "USUBJID": subject(1),
            "QSNRIND": indicator,
            "QSORRES": original[0],
            "QSORNRLO": original[1],
            "QSORNRHI": original[2],
            "QSSTRESN": standard[0],
            "QSSTNRLO": standard[1],
            "QSSTNRHI": standard[2],
        }

    qs = findings(
        "QS",
        row("NORMAL", ("8.4", "8.4", "10.3"), (2.0958, 2.1, 2.57)),  # a rounded limit: stands
        row("NORMAL", ("8.0", "8.4", "10.3"), (2.0, 2.1, 2.57)),  # low in both units
        row("NORMAL", ("", "8.4", "10.3"), (2.0, 2.1, 2.57)),  # no original result
        row("LOW", ("8.0", "8.4", "10.3"), (2.2, 2.1, 2.57)),  # low in original units: stands
    )
    assert records(check("reference_range_indicator", qs)) == [2, 3]


def test_the_reference_range_indicator_needs_its_variables():
    qs = findings("QS", {"USUBJID": subject(1), "QSNRIND": "LOW", "QSSTRESN": 1.0})
    assert check("reference_range_indicator", qs).status == "not_run"


def test_a_baseline_flag_marks_one_record_per_subject_and_test():
    def row(n, code, flag, pos="", tpt="", lobx=""):
        return {
            "USUBJID": subject(n),
            "QSTESTCD": code,
            "QSPOS": pos,
            "QSTPT": tpt,
            "QSBLFL": flag,
            "QSLOBXFL": lobx,
        }

    qs = findings(
        "QS",
        row(1, "SYSBP", "Y", "SITTING"),
        row(1, "SYSBP", "Y", "STANDING"),  # another position: its own baseline
        row(1, "DIABP", "Y", tpt="1"),
        row(1, "DIABP", "Y", tpt="2"),  # another planned time point: its own baseline
        row(1, "HR", "Y", tpt="1"),
        row(1, "HR", "Y", tpt="1"),  # twice at one time point: two baselines
        row(2, "DIABP", "Y", lobx="Y"),
        row(2, "DIABP", "", lobx="Y"),  # LOBXFL twice, BLFL once
        row(2, "SYSBP", "Y"),
        row(2, "SYSBP", ""),
    )
    result = check("single_baseline", qs)
    assert records(result) == [5, 6, 7, 8]
    messages = {f.record: f.message for f in result.findings}
    assert messages[5].startswith("QSBLFL is Y on more than one record")
    assert messages[7].startswith("QSLOBXFL is Y on more than one record")
    without_time = check("single_baseline", qs, params={"by": ["--TESTCD", "--POS"]})
    assert records(without_time) == [3, 4, 5, 6, 7, 8]


def test_every_treated_subject_has_a_baseline_in_each_findings_domain():
    dm = make_dm(
        {"USUBJID": subject(1)},
        {"USUBJID": subject(2)},
        {"USUBJID": subject(3), "ARMCD": "SCRNFAIL", "ACTARMCD": "SCRNFAIL"},
        {"USUBJID": subject(4), "RFXSTDTC": ""},  # exposed: has an EX record
        {"USUBJID": subject(5), "ARMNRS": "NOT TREATED", "RFXSTDTC": ""},
        {"USUBJID": subject(6), "RFXSTDTC": "2025-03-06"},  # exposed by its date; no LB record
        {"USUBJID": subject(7), "RFXSTDTC": ""},  # never exposed
    )
    ex = make_ex(*({"USUBJID": subject(n)} for n in (1, 2, 3, 4)))
    lbch = findings(
        "LBCH",
        {"USUBJID": subject(1), "LBTESTCD": "ALT", "LBBLFL": "Y"},
        {"USUBJID": subject(2), "LBTESTCD": "ALT", "LBBLFL": ""},
        {"USUBJID": subject(3), "LBTESTCD": "ALT", "LBBLFL": ""},
    )
    lbhe = findings("LBHE", {"USUBJID": subject(4), "LBTESTCD": "HGB", "LBBLFL": "Y"})
    vs = findings("VS", {"USUBJID": subject(1), "VSTESTCD": "PULSE", "VSBLFL": ""})
    result = check("subject_baseline", dm, ex, lbch, lbhe, vs)
    assert hits(result) == [("DM", 2, subject(2)), ("DM", 6, subject(6))]
    messages = {f.usubjid: f.message for f in result.findings}
    assert messages[subject(2)] == f"treated subject {subject(2)} has no baseline record in LB"
    assert messages[subject(6)].endswith("in LB (and no record there at all)")
    assert result.findings[0].context["dataset"] == "LB"
    assert "VS flags no baseline record: not checked" in result.notes


def test_subject_baseline_does_not_run_without_the_findings_domains():
    dm = make_dm({"USUBJID": subject(1)})
    assert check("subject_baseline", dm).status == "not_run"


def test_every_visit_of_a_record_is_a_visit_in_sv():
    sv = dataset(
        "SV",
        [
            {"USUBJID": subject(1), "VISITNUM": "1", "VISIT": "SCREENING"},
            {"USUBJID": subject(1), "VISITNUM": "2", "VISIT": "WEEK 1"},
            {"USUBJID": subject(2), "VISITNUM": "1", "VISIT": "SCREENING"},
            {"USUBJID": subject(1), "VISITNUM": "2.2", "VISIT": "UNSCHEDULED 2.2"},
        ],
    )
    qs = findings(
        "QS",
        {"USUBJID": subject(1), "VISITNUM": 1.0, "VISIT": "SCREENING"},
        {"USUBJID": subject(1), "VISITNUM": 2.0, "VISIT": "WEEK 1"},
        {"USUBJID": subject(2), "VISITNUM": 2.0, "VISIT": "WEEK 1"},  # not a visit of subject 2
        {"USUBJID": subject(2), "VISITNUM": 3.0, "QSSTAT": "NOT DONE"},  # not done: left alone
        {"USUBJID": subject(2), "VISITNUM": None},
        {"USUBJID": subject(1), "VISITNUM": 1.1 + 1.1},  # 2.2000000000000002: visit 2.2
    )
    result = check("visits_in_sv", make_dm({"USUBJID": subject(1)}), sv, qs)
    assert hits(result) == [("QS", 3, subject(2))]
    assert result.findings[0].message == "VISITNUM 2 is not a visit of the subject in SV"


def test_visits_in_sv_needs_sv():
    qs = findings("QS", {"USUBJID": subject(1), "VISITNUM": 1.0})
    result = check("visits_in_sv", qs)
    assert result.status == "not_run" and "SV" in result.reason
