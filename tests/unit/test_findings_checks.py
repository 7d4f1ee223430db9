"""The Findings, AE end and actual-arm rules of the bundled SDTM spec, on hand-made frames.

Each rule is run with the parameters the bundled spec gives it, so a change of the spec is
tested as much as a change of the check.
"""

from __future__ import annotations

from functools import cache

import pytest
from conftest import STUDY, check, dataset, hits, make_ae, make_dm, subject

from trialguard.spec.loader import load_spec


@cache
def bundled_rules() -> dict:
    return {r.rule.id: r.rule for r in load_spec("sdtm").rules}


def run(rule_id: str, *datasets, **override):
    """The bundled rule `rule_id` on `datasets`, its params updated with `override`."""
    rule = bundled_rules()[rule_id]
    return check(rule.kind, *datasets, params={**rule.params, **override})


def findings(name: str, *rows: dict, columns: list[str] | None = None):
    """A Findings dataset: STUDYID, DOMAIN (the name's first two letters), --SEQ and `rows`."""
    prefix = name[:2]
    base = {"STUDYID": STUDY, "DOMAIN": prefix}
    records = [base | {f"{prefix}SEQ": str(i)} | row for i, row in enumerate(rows, 1)]
    return dataset(name, records, columns)


def records(result) -> list[int]:
    return [record for _, record, _ in hits(result)]


def test_a_numeric_original_result_needs_its_unit():
    def row(code, result, unit):
        return {"USUBJID": subject(1), "LBTESTCD": code, "LBORRES": result, "LBORRESU": unit}

    lb = findings(
        "LB",
        row("ALB", "5.2", "g/L"),
        row("ALB", "5.2", ""),
        row("ALB", "-1E2", ""),
        row("ALB", "<5", ""),
        row("ALB", "NEGATIVE", ""),
        row("ALB", "", ""),
        row("PH", "7.5", ""),  # no PH record has a unit: unitless, named in a note
        row("PH", "6", ""),
    )
    result = run("SD-ORRESU", make_dm({"USUBJID": subject(1)}), lb)
    assert records(result) == [2, 3]
    assert result.findings[0].message == (
        "LBORRES '5.2' of ALB is a number without its unit (LBORRESU is empty), "
        "while other ALB records have one"
    )
    assert result.notes == [
        "LB: 1 test(s) have no LBORRESU on any record and are taken as unitless; their "
        "numeric results are not judged: PH (2)"
    ]


def test_scores_are_left_out_of_the_unit_rules_by_default():
    qs = findings("QS", {"USUBJID": subject(1), "QSORRES": "3", "QSORRESU": ""})
    assert run("SD-ORRESU", make_dm({"USUBJID": subject(1)}), qs).status == "not_run"


def test_numeric_standard_results_need_a_unit_and_a_unit_needs_a_result():
    lb = findings(
        "LB",
        {"USUBJID": subject(1), "LBTESTCD": "ALB", "LBSTRESC": "5", "LBSTRESU": ""},
        {"USUBJID": subject(1), "LBTESTCD": "ALB", "LBSTRESC": "POSITIVE", "LBSTRESU": ""},
        {"USUBJID": subject(1), "LBTESTCD": "ALB", "LBSTRESC": "", "LBSTRESU": "g/L"},
        {"USUBJID": subject(1), "LBTESTCD": "ALB", "LBSTRESC": "5", "LBSTRESU": "g/L"},
    )
    dm = make_dm({"USUBJID": subject(1)})
    assert records(run("SD-STRESU", dm, lb)) == [1]
    assert records(run("SD-STRESU-RESULT", lb, datasets=["LB"])) == [3]


def test_a_result_or_result_category_needs_a_standard_result():
    qs = findings(
        "QS",
        {"USUBJID": subject(1), "QSORRES": "2", "QSRESCAT": "", "QSSTRESC": "2"},
        {"USUBJID": subject(1), "QSORRES": "2", "QSRESCAT": "", "QSSTRESC": ""},
        {"USUBJID": subject(1), "QSORRES": "", "QSRESCAT": "MILD", "QSSTRESC": ""},
        {"USUBJID": subject(1), "QSORRES": "", "QSRESCAT": "", "QSSTRESC": ""},
    )
    assert records(run("SD-STRESC", qs)) == [2, 3]


def test_a_split_dataset_has_its_domain_prefix():
    qsco = findings(
        "QSCO",
        {"USUBJID": subject(1), "QSORRES": "2", "QSSTRESC": ""},
        {"USUBJID": subject(1), "QSORRES": "2", "QSSTRESC": "2"},
    )
    result = run("SD-STRESC", qsco, datasets=["QSCO"])
    assert hits(result) == [("QSCO", 1, subject(1))]
    assert result.findings[0].message.endswith("but QSSTRESC is empty")


def test_a_numeric_standard_result_is_copied_to_stresn_as_the_same_number():
    qs = findings(
        "QS",
        {"USUBJID": subject(1), "QSSTRESC": "1.50", "QSSTRESN": 1.5},
        {"USUBJID": subject(1), "QSSTRESC": "2", "QSSTRESN": 3.0},
        {"USUBJID": subject(1), "QSSTRESC": "2", "QSSTRESN": None},
        {"USUBJID": subject(1), "QSSTRESC": "ABSENT", "QSSTRESN": None},
        {"USUBJID": subject(1), "QSSTRESC": "ABSENT", "QSSTRESN": 4.0},
        {"USUBJID": subject(1), "QSSTRESC": "", "QSSTRESN": 4.0},
    )
    result = run("SD-STRESN", qs)
    assert records(result) == [2, 3]
    assert result.findings[0].message == ("QSSTRESN is 3 and QSSTRESC is '2' (not the same number)")
    assert records(run("SD-STRESN-TEXT", qs)) == [5, 6]


def test_a_test_not_done_has_no_result_and_a_reason():
    qs = findings(
        "QS",
        {"USUBJID": subject(1), "QSSTAT": "NOT DONE", "QSORRES": "", "QSREASND": "REFUSED"},
        {"USUBJID": subject(1), "QSSTAT": "NOT DONE", "QSORRES": "3", "QSREASND": "REFUSED"},
        {"USUBJID": subject(1), "QSSTAT": "NOT DONE", "QSORRES": "", "QSREASND": ""},
        {"USUBJID": subject(1), "QSSTAT": "", "QSORRES": "3", "QSREASND": ""},
    )
    assert records(run("SD-NOTDONE", qs)) == [2, 3]
    without_reason = findings(
        "QS", {"USUBJID": subject(1), "QSSTAT": "NOT DONE", "QSORRES": ""}
    )  # a dataset without QSREASND gives no reason
    assert records(run("SD-NOTDONE", without_reason)) == [1]


def test_a_record_without_a_result_is_not_done_or_derived():
    qs = findings(
        "QS",
        {"USUBJID": subject(1), "QSORRES": "", "QSSTAT": "NOT DONE", "QSDRVFL": ""},
        {"USUBJID": subject(1), "QSORRES": "", "QSSTAT": "", "QSDRVFL": "Y"},
        {"USUBJID": subject(1), "QSORRES": "", "QSSTAT": "", "QSDRVFL": ""},
        {"USUBJID": subject(1), "QSORRES": "2", "QSSTAT": "", "QSDRVFL": ""},
    )
    assert records(run("SD-NORESULT", qs)) == [3]
    no_status = findings("QS", {"USUBJID": subject(1), "QSORRES": ""})
    result = run("SD-NORESULT", no_status)  # absent QSSTAT and QSDRVFL count as empty
    assert records(result) == [1]
    assert result.findings[0].message == ("QSORRES is empty, but QSSTAT and QSDRVFL are absent")


def test_test_codes_and_names_map_one_to_one():
    qs = findings(
        "QS",
        {"USUBJID": subject(1), "QSTESTCD": "A1", "QSTEST": "Item one"},
        {"USUBJID": subject(1), "QSTESTCD": "A1", "QSTEST": "Item 1"},
        {"USUBJID": subject(1), "QSTESTCD": "A2", "QSTEST": "Item two"},
        {"USUBJID": subject(1), "QSTESTCD": "A3", "QSTEST": "Item two"},
        {"USUBJID": subject(1), "QSTESTCD": "A4", "QSTEST": "Item four"},
    )
    assert records(run("SD-TESTCD-TEST", qs)) == [1, 2, 3, 4]


def test_test_codes_are_short_names_and_test_names_at_most_40_characters():
    codes = ["SYSBP", "_X1", "1ABC", "TOOLONGCD", "HB-A1C", "abc_12", "OTHER", ""]
    names = ["x" * 40, "x" * 41, "", "A", "A", "A", "A", "A"]
    qs = findings(
        "QS",
        *(
            {"USUBJID": subject(1), "QSTESTCD": c, "QSTEST": n}
            for c, n in zip(codes, names, strict=True)
        ),
    )
    result = run("SD-TESTCD", qs)
    assert records(result) == [3, 4, 5]
    assert result.findings[0].message == (
        "QSTESTCD is '1ABC' (does not match [A-Za-z_][A-Za-z0-9_]{0,7})"
    )
    assert records(run("SD-TEST-LEN", qs)) == [2]
    assert records(run("SD-NOT-OTHER", qs)) == [7]


def test_the_criterion_text_of_ie_may_be_longer_than_40_characters():
    ie = findings("IE", {"USUBJID": subject(1), "IETESTCD": "IN01", "IETEST": "x" * 120})
    assert run("SD-TEST-LEN", ie, datasets=[]).status == "not_run"  # IE is left out


def test_a_reference_range_has_its_lower_limit_at_most_its_upper_limit():
    lb = findings(
        "LB",
        {
            "USUBJID": subject(1),
            "LBSTNRLO": 1.0,
            "LBSTNRHI": 5.0,
            "LBORNRLO": "10",
            "LBORNRHI": "9",
        },
        {"USUBJID": subject(1), "LBSTNRLO": 6.0, "LBSTNRHI": 5.0, "LBORNRLO": "1", "LBORNRHI": "2"},
        {"USUBJID": subject(1), "LBSTNRLO": 5.0, "LBSTNRHI": 5.0, "LBORNRLO": "A", "LBORNRHI": "2"},
        {"USUBJID": subject(1), "LBSTNRLO": None, "LBSTNRHI": 5.0, "LBORNRLO": "", "LBORNRHI": ""},
    )
    assert records(run("SD-NRANGE", lb, datasets=["LB"])) == [1, 2]


def test_a_baseline_record_has_a_result():
    qs = findings(
        "QS",
        {"USUBJID": subject(1), "QSBLFL": "Y", "QSLOBXFL": "", "QSSTRESC": "", "QSORRES": ""},
        {"USUBJID": subject(1), "QSBLFL": "", "QSLOBXFL": "Y", "QSSTRESC": "", "QSORRES": ""},
        {"USUBJID": subject(1), "QSBLFL": "Y", "QSLOBXFL": "Y", "QSSTRESC": "3", "QSORRES": "3"},
        {"USUBJID": subject(1), "QSBLFL": "", "QSLOBXFL": "", "QSSTRESC": "", "QSORRES": ""},
    )
    assert records(run("SD-BLFL-RESULT", qs)) == [1, 2]
    assert records(run("SD-LOBXFL-ORRES", qs)) == [2]
    derived = findings(
        "QS",
        {"USUBJID": subject(1), "QSLOBXFL": "Y", "QSORRES": "", "QSDRVFL": "Y"},
        {"USUBJID": subject(1), "QSLOBXFL": "Y", "QSORRES": "", "QSDRVFL": ""},
    )
    assert records(run("SD-LOBXFL-ORRES", derived)) == [2]


def test_visit_numbers_and_names_map_one_to_one():
    qs = findings(
        "QS",
        {"USUBJID": subject(1), "VISITNUM": 1.0, "VISIT": "SCREENING"},
        {"USUBJID": subject(2), "VISITNUM": 1.0, "VISIT": "SCREEN"},
        {"USUBJID": subject(1), "VISITNUM": 2.0, "VISIT": "WEEK 1"},
        {"USUBJID": subject(2), "VISITNUM": 2.0, "VISIT": "WEEK 1"},
    )
    assert records(run("SD-VISIT", qs)) == [1, 2]


def test_an_ae_without_an_end_date_has_an_end_time_point():
    ae = make_ae(
        {"USUBJID": subject(1), "AEENDTC": "2025-03-20", "AEENRTPT": ""},
        {"USUBJID": subject(1), "AEENDTC": "", "AEENRTPT": "ONGOING"},
        {"USUBJID": subject(1), "AEENDTC": "", "AEENRTPT": ""},
    )
    result = run("SD-AEEND", ae)
    assert records(result) == [3]
    assert result.findings[0].message == (
        "AEENDTC is empty, but AEENRTPT is empty and AEENRF and AEOCCUR are absent"
    )
    bare = make_ae({"USUBJID": subject(1), "AEENDTC": ""}, {"USUBJID": subject(2)})
    assert records(run("SD-AEEND", bare)) == [1, 2]  # neither AEENRTPT nor AEENRF in AE


def test_the_actual_arm_differs_from_the_planned_one():
    dm = make_dm(
        {"USUBJID": subject(1), "ARMCD": "A", "ACTARMCD": "A"},
        {"USUBJID": subject(2), "ARMCD": "A", "ACTARMCD": "B"},
        {"USUBJID": subject(3), "ARMCD": "", "ACTARMCD": ""},
        {"USUBJID": subject(4), "ARMCD": "A", "ACTARMCD": ""},
    )
    result = run("SD-ACTARM", dm)
    assert records(result) == [2]
    assert result.findings[0].message == "ACTARMCD 'B' differs from ARMCD 'A'"


@pytest.mark.parametrize("rule_id", ["SD-ORRESU", "SD-STRESN", "SD-BLFL-RESULT"])
def test_rules_without_their_variables_do_not_run(rule_id):
    dm = make_dm({"USUBJID": subject(1)})
    result = run(rule_id, dm, make_ae({"USUBJID": subject(1)}))
    assert result.status == "not_run"
    assert "lacks the variables" in result.reason or "no dataset has" in result.reason
