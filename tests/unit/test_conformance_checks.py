"""One test group per conformance check kind, on hand-made frames."""

from conftest import check, hits, make_ae, make_dl, make_dm, make_ex, subject


def test_required_variables_reports_a_missing_req_variable_once_for_the_dataset():
    dm = make_dm({"USUBJID": subject(1)})
    dm.frame = dm.frame.drop(columns=["SITEID"])
    result = check("required_variables", dm, params={"core": "Req"})
    assert [(f.domain, f.record, f.variables) for f in result.findings] == [
        ("DM", None, ("SITEID",))
    ]


def test_required_variables_of_core_exp_ignore_missing_req_ones():
    dm = make_dm({"USUBJID": subject(1)})
    dm.frame = dm.frame.drop(columns=["SITEID"])
    result = check("required_variables", dm, params={"core": "Exp"})
    assert {f.variables[0] for f in result.findings} >= {"RACE", "ARM"}
    assert "SITEID" not in {f.variables[0] for f in result.findings}


def test_required_values_flags_empty_req_values():
    result = check(
        "required_values", make_ae({"USUBJID": subject(1)}, {"USUBJID": subject(2), "AEDECOD": " "})
    )
    assert hits(result) == [("AE", 2, subject(2))]


def test_numeric_values_flags_text_in_numeric_variables():
    result = check(
        "numeric_values", make_dm({"USUBJID": subject(1), "AGE": "forty"}, {"USUBJID": subject(2)})
    )
    assert hits(result) == [("DM", 1, subject(1))]
    assert result.findings[0].values == {"AGE": "forty"}


def test_closed_codelists_are_errors_and_extensible_ones_a_separate_rule():
    dm = make_dm({"USUBJID": subject(1), "SEX": "MALE"}, {"USUBJID": subject(2), "SEX": "M"})
    ex = make_ex(
        {"USUBJID": subject(1), "EXROUTE": "IV"}, {"USUBJID": subject(1), "EXDOSU": "10^6 cells"}
    )
    assert hits(check("controlled_terminology", dm, ex, params={"extensible": False})) == [
        ("DM", 1, subject(1))
    ]
    assert hits(check("controlled_terminology", dm, ex, params={"extensible": True})) == [
        ("EX", 1, subject(1))
    ]


def test_toxicity_grades_outside_one_to_five_are_flagged():
    ae = make_ae(
        {"USUBJID": subject(1), "AETOXGR": "6"},
        {"USUBJID": subject(1), "AETOXGR": "Grade 3"},
        {"USUBJID": subject(1), "AETOXGR": "5"},
    )
    assert hits(check("controlled_terminology", ae)) == [
        ("AE", 1, subject(1)),
        ("AE", 2, subject(1)),
    ]


def test_iso8601_dates_flags_impossible_and_non_iso_dates():
    ae = make_ae(
        {"USUBJID": subject(1), "AESTDTC": "2025-02-30"},
        {"USUBJID": subject(1), "AESTDTC": "2025-02"},
        {"USUBJID": subject(1), "AESTDTC": "01/02/2025"},
    )
    assert hits(check("iso8601_dates", ae)) == [("AE", 1, subject(1)), ("AE", 3, subject(1))]


def test_domain_value_must_match_the_dataset():
    assert hits(check("domain_value", make_dl({"USUBJID": subject(1), "DOMAIN": "DLT"}))) == [
        ("DL", 1, subject(1))
    ]


def test_unique_keys_flags_every_copy_of_a_repeated_key():
    ae = make_ae({"USUBJID": subject(1)}, {"USUBJID": subject(1)}, {"USUBJID": subject(2)})
    ae.frame.loc[2, "AESEQ"] = "1"
    assert hits(check("unique_keys", ae)) == [("AE", 1, subject(1)), ("AE", 2, subject(1))]
    dm = make_dm({"USUBJID": subject(1)}, {"USUBJID": subject(1)})
    assert len(check("unique_keys", dm).findings) == 2


def test_single_studyid_takes_dm_as_reference():
    dm = make_dm({"USUBJID": subject(1)}, {"USUBJID": subject(2)})
    ae = make_ae({"USUBJID": subject(1), "STUDYID": "S2"})
    result = check("single_studyid", dm, ae)
    assert hits(result) == [("AE", 1, subject(1))]
    assert "'S1'" in result.findings[0].message


def test_conformance_rules_do_not_run_without_datasets():
    result = check("required_values")
    assert result.status == "not_run" and "supplied" in result.reason


def test_usubjids_equal_but_for_case_are_each_a_finding():
    dm = make_dm({"USUBJID": "S1-001"}, {"USUBJID": "s1-001"}, {"USUBJID": "S1-002"})
    params = {"dataset": "DM", "variables": ["USUBJID"], "differing_case": True}
    result = check("unique_values", dm, params=params)
    assert hits(result) == [("DM", 1, "S1-001"), ("DM", 2, "s1-001")]
    assert "equal but for case" in result.findings[0].message


def test_an_exact_repeat_is_left_to_the_key_rule_when_case_is_what_is_checked():
    dm = make_dm({"USUBJID": "S1-001"}, {"USUBJID": "S1-001"}, {"USUBJID": ""})
    params = {"dataset": "DM", "variables": ["USUBJID"], "differing_case": True}
    assert check("unique_values", dm, params=params).status == "passed"
