from conftest import check, hits, make_ae, make_dl, make_dm, make_ex, make_spec, subject, undecided

DAY0 = "2025-03-10"


def product(n, **extra):
    return {"USUBJID": subject(n), "EXTRT": "PRODUCT", "EXSTDTC": DAY0, "EXENDTC": DAY0} | extra


def agent(n, name, start, end=None, **extra):
    return {
        "USUBJID": subject(n),
        "EXTRT": name,
        "EXSTDTC": start,
        "EXENDTC": end or start,
        "EXDOSU": "mg/m2",
        "EXDOSE": "30",
    } | extra


def test_age_range_lower_bound_inclusive_upper_exclusive():
    dm = make_dm(
        *(
            {"USUBJID": subject(i), "AGE": age}
            for i, age in enumerate(["17", "18", "69", "70", ""], 1)
        )
    )
    result = check("age_range", dm, params={"min_age": 18, "max_age": 70})
    assert hits(result) == [("DM", 1, subject(1)), ("DM", 4, subject(4))]
    assert undecided(result) == [("DM", 5, subject(5))]
    assert "18 <= AGE < 70" in result.findings[0].message


def test_age_range_without_upper_bound():
    dm = make_dm({"USUBJID": subject(1), "AGE": "95"})
    assert check("age_range", dm, params={"min_age": 18}).status == "passed"


def test_single_exposure_flags_repeats_and_treated_subjects_without_product():
    ex = make_ex(
        product(1),
        product(2),
        product(2, EXSTDTC="2025-03-20"),
        agent(3, "CYCLOPHOSPHAMIDE", "2025-03-05"),
    )
    result = check("single_exposure", ex)
    assert hits(result) == [("EX", 2, subject(2)), ("EX", 3, subject(2)), ("EX", 4, subject(3))]


def test_rules_needing_day0_do_not_run_when_the_spec_has_none():
    result = check("single_exposure", make_ex(product(1)), spec=make_spec(day0=None))
    assert result.status == "not_run" and "Day 0" in result.reason


def test_exposure_route_checks_only_the_product():
    ex = make_ex(
        product(1, EXROUTE="SUBCUTANEOUS"),
        agent(1, "CYCLOPHOSPHAMIDE", "2025-03-05", EXROUTE="ORAL"),
    )
    assert hits(check("exposure_route", ex)) == [("EX", 1, subject(1))]


def test_dose_must_match_the_arm_level():
    dm = make_dm(
        {"USUBJID": subject(1), "ACTARMCD": "DL1-FC"},
        {"USUBJID": subject(2), "ACTARMCD": "DL2-FC"},
        {"USUBJID": subject(3), "ACTARMCD": "DL9-FC"},
    )
    ex = make_ex(
        product(1, EXDOSE="40"),
        product(2, EXDOSE="40"),
        product(3, EXDOSE="40"),
        product(4, EXDOSE="40"),
    )
    params = {"levels": {"DL1": 40, "DL2": 120}, "unit": "10^6 cells"}
    result = check("dose_matches_arm", dm, ex, params=params)
    assert hits(result) == [("EX", 2, subject(2)), ("EX", 3, subject(3))]
    assert undecided(result) == [("EX", 4, subject(4))]


LD_ARMS = {
    "arms": {"CY": ["CYCLOPHOSPHAMIDE"], "FC": ["FLUDARABINE", "CYCLOPHOSPHAMIDE"], "NOLD": []}
}


def test_lymphodepletion_agents_match_the_arm():
    dm = make_dm(
        {"USUBJID": subject(1), "ACTARMCD": "DL1-CY"},
        {"USUBJID": subject(2), "ACTARMCD": "DL1-FC"},
        {"USUBJID": subject(3), "ACTARMCD": "DL1-NOLD"},
        {"USUBJID": subject(4), "ACTARMCD": "DL1-XX"},
    )
    ex = make_ex(
        agent(1, "CYCLOPHOSPHAMIDE", "2025-03-05"),
        agent(1, "FLUDARABINE", "2025-03-05"),
        product(1),
        agent(2, "CYCLOPHOSPHAMIDE", "2025-03-05"),
        product(2),
        product(3),
        product(4),
    )
    result = check("lymphodepletion_agents", dm, ex, params=LD_ARMS)
    assert hits(result) == [("DM", 2, subject(2)), ("DM", 4, subject(4)), ("EX", 2, subject(1))]
    missing = next(f for f in result.findings if f.usubjid == subject(2))
    assert missing.values["missing_agents"] == "FLUDARABINE"
    assert missing.message == (
        "arm DL1-FC: lymphodepletion agent of the arm not given: FLUDARABINE"
        " (the arm gives FLUDARABINE, CYCLOPHOSPHAMIDE)"
    )
    extra = next(f for f in result.findings if f.usubjid == subject(1))
    assert extra.message == (
        "arm DL1-CY: FLUDARABINE is not a lymphodepletion agent of the arm"
        " (the arm gives CYCLOPHOSPHAMIDE)"
    )


def test_lymphodepletion_given_in_an_arm_without_any_names_the_agent():
    dm = make_dm({"USUBJID": subject(1), "ACTARMCD": "DL1-NOLD"})
    ex = make_ex(agent(1, "CYCLOPHOSPHAMIDE", "2025-03-05"), product(1))
    (finding,) = check("lymphodepletion_agents", dm, ex, params=LD_ARMS).findings
    assert finding.message == (
        "arm DL1-NOLD: CYCLOPHOSPHAMIDE is not a lymphodepletion agent of the arm"
        " (the arm gives no lymphodepletion)"
    )


LD_WINDOW = {
    "agents": ["CYCLOPHOSPHAMIDE", "FLUDARABINE"],
    "start_first_day": -5,
    "start_last_day": -3,
}


def test_lymphodepletion_window_start_and_end():
    ex = make_ex(
        agent(1, "CYCLOPHOSPHAMIDE", "2025-03-05", "2025-03-07"),
        product(1),  # Day -5..-3: fine
        agent(2, "CYCLOPHOSPHAMIDE", "2025-03-03", "2025-03-05"),
        product(2),  # starts Day -7
        agent(3, "CYCLOPHOSPHAMIDE", "2025-03-06", "2025-03-10"),
        product(3),  # ends on Day 0
        agent(4, "FLUDARABINE", "2025-03"),
        product(4),  # partial start
        agent(5, "FLUDARABINE", "2025-03-05"),  # no Day 0
    )
    result = check("lymphodepletion_window", ex, params=LD_WINDOW)
    assert hits(result) == [("EX", 3, subject(2)), ("EX", 5, subject(3))]
    # the partial date leaves both the start and the end of record 7 undecided
    assert undecided(result) == [
        ("EX", 7, subject(4)),
        ("EX", 7, subject(4)),
        ("EX", 9, subject(5)),
    ]
    start, end = sorted(result.findings, key=lambda f: f.record)
    assert start.values["protocol_day"] == start.protocol_day == -7
    # the Day of a finding on the end is the end's day, the one its message names
    assert end.variables == ("EXTRT", "EXENDTC", "EXSTDTC")
    assert end.values["protocol_day"] == end.protocol_day == 0
    assert "protocol day 0," in end.message


def test_dlt_window_is_inclusive_and_counts_from_day_zero():
    ex = make_ex(product(1))
    dl = make_dl(
        *(
            {"USUBJID": subject(1), "DLSTDTC": d}
            for d in ["2025-03-10", "2025-04-07", "2025-04-08", "2025-03-09", "2025-04"]
        )
    )
    result = check("dlt_window", ex, dl)
    assert hits(result) == [("DL", 3, subject(1)), ("DL", 4, subject(1))]
    assert undecided(result) == [("DL", 5, subject(1))]


def test_dlt_window_needs_the_spec_window():
    result = check(
        "dlt_window",
        make_ex(product(1)),
        make_dl({"USUBJID": subject(1)}),
        spec=make_spec(window=None),
    )
    assert result.status == "not_run" and "DLT window" in result.reason


def test_dlt_links_to_an_ae_with_the_same_onset():
    ae = make_ae(
        {"USUBJID": subject(1), "AESTDTC": "2025-03-12"},
        {"USUBJID": subject(1), "AESTDTC": "2025-03"},
    )
    dl = make_dl(
        {"USUBJID": subject(1), "DLAESEQ": "1", "DLSTDTC": "2025-03-12"},
        {"USUBJID": subject(1), "DLAESEQ": "1", "DLSTDTC": "2025-03-13"},
        {"USUBJID": subject(1), "DLAESEQ": "7", "DLSTDTC": "2025-03-12"},
        {"USUBJID": subject(2), "DLAESEQ": "1", "DLSTDTC": "2025-03-12"},
        {"USUBJID": subject(1), "DLAESEQ": "2", "DLSTDTC": "2025-03-20"},
    )
    result = check("dlt_ae_link", ae, dl)
    assert hits(result) == [("DL", 2, subject(1)), ("DL", 3, subject(1)), ("DL", 4, subject(2))]
    assert undecided(result) == [("DL", 5, subject(1))]


def test_severe_ae_in_window_without_dlt_is_a_possible_unreported_dlt():
    ex = make_ex(product(1))
    ae = make_ae(
        {"USUBJID": subject(1), "AETOXGR": "3", "AESTDTC": "2025-03-12"},
        {"USUBJID": subject(1), "AETOXGR": "4", "AESTDTC": "2025-03-15"},
        {"USUBJID": subject(1), "AETOXGR": "2", "AESTDTC": "2025-03-15"},
        {"USUBJID": subject(1), "AETOXGR": "3", "AESTDTC": "2025-05-15"},
    )
    dl = make_dl({"USUBJID": subject(1), "DLAESEQ": "2", "DLSTDTC": "2025-03-15"})
    result = check("unreported_dlt", ex, ae, dl, severity="warning")
    assert hits(result) == [("AE", 1, subject(1))]
    assert result.findings[0].severity == "warning"


def test_unreported_dlt_does_not_run_without_the_dlt_dataset():
    result = check("unreported_dlt", make_ex(product(1)), make_ae({"USUBJID": subject(1)}))
    assert result.status == "not_run" and "DLT" in result.reason


def test_a_check_that_breaks_ends_in_error_and_the_run_goes_on():
    from trialguard.findings import Severity
    from trialguard.readers.study import Study
    from trialguard.runner import run_rule
    from trialguard.spec.loader import LoadedRule
    from trialguard.spec.models import Rule
    from trialguard.validators.context import StudyContext
    from trialguard.validators.registry import CheckKind, NoParams

    def broken(context, params):
        raise KeyError("AGE")

    kind = CheckKind("broken", broken, NoParams, "m", "s", "protocol")
    rule = Rule(id="T-9", kind="broken", severity=Severity.ERROR, description="d", source="s")
    result = run_rule(
        LoadedRule(rule, NoParams(), kind, "test"), StudyContext(Study({}), make_spec())
    )
    assert (
        result.status == "error"
        and "KeyError" in result.reason
        and "test_protocol_checks.py" in result.reason
    )


def test_control_arm_subjects_get_no_product():
    dm = make_dm(
        {"USUBJID": subject(1), "ACTARMCD": "SOC"}, {"USUBJID": subject(2), "ACTARMCD": "DL1-NOLD"}
    )
    ex = make_ex(product(1), product(2), agent(1, "CYCLOPHOSPHAMIDE", "2025-03-05"))
    result = check("arm_unexposed", dm, ex, params={"arms": ["SOC"]})
    assert hits(result) == [("EX", 1, subject(1))]


def test_screen_failures_by_either_convention_have_no_exposure():
    dm = make_dm(
        {"USUBJID": subject(1), "ARMCD": "", "ACTARMCD": "", "ARMNRS": "SCREEN FAILURE"},
        {"USUBJID": subject(2), "ARMCD": "SCRNFAIL", "ACTARMCD": "SCRNFAIL"},
        {"USUBJID": subject(3)},
    )
    ex = make_ex(agent(1, "CYCLOPHOSPHAMIDE", "2025-03-05"), product(2), product(3))
    assert hits(check("screen_failure_unexposed", dm, ex)) == [
        ("EX", 1, subject(1)),
        ("EX", 2, subject(2)),
    ]


def test_legacy_screen_failure_code_is_reported_as_a_notice():
    dm = make_dm(
        {"USUBJID": subject(1), "ARMCD": "SCRNFAIL", "ACTARMCD": "SCRNFAIL"},
        {"USUBJID": subject(2)},
    )
    result = check("legacy_screen_failure", dm, severity="notice")
    assert hits(result) == [("DM", 1, subject(1))] and result.findings[0].severity == "notice"


def test_required_comedication_must_be_given_with_the_product():
    ex = make_ex(
        product(1),
        agent(1, "RITUXIMAB", "2025-03-03"),
        product(2),
        agent(3, "RITUXIMAB", "2025-03-03"),
    )
    result = check("required_comedication", ex, params={"treatment": "RITUXIMAB"})
    assert hits(result) == [("EX", 3, subject(2))]


def test_escalation_findings_show_only_the_derived_values_that_are_set():
    arms = ["DL1-FC", "DL1-FC", "DL1-FC", "DL2-FC"]
    dm = make_dm(*({"USUBJID": subject(n), "ACTARMCD": a} for n, a in enumerate(arms, 1)))
    days = ["2025-03-10", "2025-03-17", "2025-03-24", "2025-04-01"]
    doses = ["120", "40", "40", "120"]  # subject 1 got DL2's dose
    ex = make_ex(
        *(
            product(n, EXSTDTC=day, EXENDTC=day, EXDOSE=dose)
            for n, (day, dose) in enumerate(zip(days, doses, strict=True), 1)
        )
    )
    params = {"levels": ["DL1", "DL2"], "doses": {"DL1": 40, "DL2": 120}, "data_cut": "2025-04-10"}
    result = check("escalation_3plus3", dm, ex, make_dl(), params=params)
    by_record = {f.record: f for f in result.findings}
    assert sorted(by_record) == [1, 4]
    assert by_record[1].values == {"EXSTDTC": "2025-03-10", "level": "DL1", "dose_level": "DL2"}
    # DL1 is still pending at the data cut: there is no date of its decision to show
    assert by_record[4].values == {
        "EXSTDTC": "2025-04-01",
        "level": "DL2",
        "level_below": "DL1",
        "below_decision": "pending",
    }
    assert by_record[4].message == (
        "DL2: dosed before the level below had cleared its DLT window: EXSTDTC 2025-04-01, the "
        "level below DL1 decided pending"
    )
