"""Timing rules of the seeds: screening_window, infusion_after_procedure, planned_enrollment."""

from conftest import STUDY, check, dataset, hits, make_dm, make_ex, make_spec, subject, undecided

DAY0 = "2025-03-10"
SCREENING = {"max_days": 28, "treatments": ["PRODUCT", "CYCLOPHOSPHAMIDE"]}
HSCT = {"procedure": "HLA-MISMATCHED HSCT", "first_day": 1, "last_day": 30}


def infusion(n: int, day: str = DAY0) -> dict:
    return {"USUBJID": subject(n), "EXTRT": "PRODUCT", "EXSTDTC": day, "EXENDTC": day}


def cyclophosphamide(n: int, day: str) -> dict:
    return {"USUBJID": subject(n), "EXTRT": "CYCLOPHOSPHAMIDE", "EXSTDTC": day, "EXENDTC": day}


def consent(n: int, day: str) -> dict:
    return {"USUBJID": subject(n), "RFICDTC": day}


def test_screening_counts_from_consent_to_the_first_listed_treatment():
    dm = make_dm(
        consent(1, "2025-02-05"),  # 28 days before lymphodepletion on 03-05: the limit
        consent(2, "2025-02-04"),  # 29 days
        consent(3, "2025-02-10"),  # 28 days before the infusion, no lymphodepletion
        consent(4, "2025-02"),  # partial: 22 to 49 days
        consent(5, "2025-01-01"),  # never treated: not judged
        consent(6, "2025-01-01"),  # only an unlisted treatment: not judged
    )
    ex = make_ex(
        cyclophosphamide(1, "2025-03-05"),
        infusion(1),
        cyclophosphamide(2, "2025-03-05"),
        infusion(2),
        infusion(3),
        infusion(4, "2025-03-05"),
        {"USUBJID": subject(6), "EXTRT": "RITUXIMAB", "EXSTDTC": DAY0},
    )
    result = check("screening_window", dm, ex, params=SCREENING)
    assert hits(result) == [("DM", 2, subject(2))]
    assert undecided(result) == [("DM", 4, subject(4))]
    finding = next(f for f in result.findings if f.record == 2)
    assert finding.message == (
        "informed consent (2025-02-04) is 29 days before the first treatment (2025-03-05); "
        "screening lasts at most 28 days"
    )


def test_screening_without_consent_dates_does_not_run():
    dm = dataset("DM", [{"STUDYID": STUDY, "USUBJID": subject(1)}])
    result = check("screening_window", dm, make_ex(infusion(1)), params=SCREENING)
    assert (result.status, result.reason) == ("not_run", "DM lacks RFICDTC")


def transplant(n: int, day: str, name: str = "HLA-MISMATCHED HSCT") -> dict:
    return {"STUDYID": STUDY, "DOMAIN": "PR", "USUBJID": subject(n), "PRSEQ": "1",
            "PRTRT": name, "PRSTDTC": day}  # fmt: skip


def test_the_infusion_follows_the_transplant_inside_its_window():
    ex = make_ex(infusion(1), infusion(2), infusion(3), infusion(4), infusion(5), infusion(6))
    pr = dataset(
        "PR",
        [
            transplant(1, "2025-03-03"),  # 7 days before: fine
            transplant(2, "2025-03-10"),  # the same day
            transplant(3, "2025-01-01"),  # 68 days before
            transplant(4, "2025-03"),  # partial
            transplant(5, "2025-03-03", "APHERESIS"),  # another procedure: no transplant
            transplant(6, "2025-02-20"),
            transplant(6, "2025-03-09"),  # the earliest of two counts: 18 days
        ],
    )
    result = check("infusion_after_procedure", ex, pr, params=HSCT, spec=make_spec())
    assert hits(result) == [("EX", 2, subject(2)), ("EX", 3, subject(3)), ("EX", 5, subject(5))]
    assert undecided(result) == [("EX", 4, subject(4))]
    by_record = {f.record: f for f in result.findings}
    assert by_record[3].values["days_after"] == 68
    assert by_record[5].message.endswith("not preceded by a PR record of the HLA-MISMATCHED HSCT")


def test_the_transplant_rule_needs_pr():
    result = check("infusion_after_procedure", make_ex(infusion(1)), params=HSCT, spec=make_spec())
    assert (result.status, result.reason) == ("not_run", "PR not supplied")


def test_enrollment_above_the_plan_is_one_finding_about_dm():
    subjects = [{"USUBJID": subject(n)} for n in range(1, 5)]
    failure = {"USUBJID": subject(5), "ARMCD": "", "ACTARMCD": "", "ARMNRS": "SCREEN FAILURE"}
    legacy = {"USUBJID": subject(6), "ARMCD": "SCRNFAIL", "ACTARMCD": "SCRNFAIL"}
    dm = make_dm(*subjects, failure, legacy)
    assert check("planned_enrollment", dm, params={"planned": 4}).status == "passed"
    result = check("planned_enrollment", dm, params={"planned": 3})
    assert [(f.domain, f.record, f.message) for f in result.findings] == [
        ("DM", None, "4 subjects are enrolled, more than the 3 the protocol plans")
    ]


def test_a_partial_transplant_date_leaves_the_earliest_transplant_undecided():
    pr = dataset("PR", [transplant(1, "2025-02"), transplant(1, "2025-03-05")])
    result = check(
        "infusion_after_procedure", make_ex(infusion(1)), pr, params=HSCT, spec=make_spec()
    )
    assert hits(result) == [] and undecided(result) == [("EX", 1, subject(1))]


def test_enrollment_ignores_the_case_of_screen_failure_and_subjects_without_usubjid():
    failure = {"USUBJID": subject(2), "ARMCD": "", "ACTARMCD": "", "ARMNRS": "Screen Failure"}
    dm = make_dm({"USUBJID": subject(1)}, failure, {"USUBJID": ""})
    assert check("planned_enrollment", dm, params={"planned": 1}).status == "passed"
