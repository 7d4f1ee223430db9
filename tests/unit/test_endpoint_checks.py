"""Efficacy endpoint rules: primary_diagnosis, endpoint_assessed, endpoint_values,
endpoint_responder and das28_recomputed."""

import math

import pytest
from conftest import STUDY, check, dataset, hits, make_dm, make_ex, make_spec, subject, undecided
from pydantic import ValidationError

from trialguard.spec.models import Endpoints

DAY0 = "2025-03-10"  # Week 52: Day 350 to 378 is 2026-02-23 to 2026-03-23
WEEK_52 = "2026-03-09"  # Day 364
BASELINE = "2025-02-28"  # Day -10
ENDPOINTS = Endpoints.model_validate(
    {
        "disease": {"category": "PRIMARY DIAGNOSIS", "source": "test"},
        "visit": {"name": "WEEK 52", "day": 364, "before": 14, "after": 14, "source": "test"},
        "instruments": [
            {
                "name": "DAS28-ESR",
                "disease": "RA",
                "terms": ["RHEUMATOID ARTHRITIS"],
                "category": "DAS28-ESR",
                "score": "DAS28ESR",
                "ranges": {"DAS28ESR": [0, 10], "TJC28": [0, 28]},
                "responder": {"testcd": "DASRESP", "operator": "<", "threshold": 2.6},
                "source": "test",
            },
            {
                "name": "ClinESSDAI",
                "disease": "SjD",
                "terms": ["SJOGREN'S SYNDROME"],
                "dataset": "QS",
                "category": "CLINESSDAI",
                "score": "CESSDAI",
                "ranges": {"CESSDAI": [0, 135]},
                "responder": {
                    "testcd": "CESSDRSP",
                    "measure": "improvement",
                    "operator": ">=",
                    "threshold": 4,
                },
                "source": "test",
            },
        ],
    }
)
SPEC = make_spec(endpoints=ENDPOINTS)
DAS28 = {
    "instrument": "DAS28-ESR",
    "components": {"tjc28": "TJC28", "sjc28": "SJC28", "esr": "ESR", "patient_global": "PTGLOBAL"},
}


def treated(*numbers: int, day0: str = DAY0):
    rows = [{"USUBJID": subject(n), "EXSTDTC": day0, "EXENDTC": day0} for n in numbers]
    return make_dm(*[{"USUBJID": subject(n)} for n in numbers]), make_ex(*rows)


def diagnosis(n: int, term: str, decod: str | None = None, category="PRIMARY DIAGNOSIS") -> dict:
    return {"STUDYID": STUDY, "DOMAIN": "MH", "USUBJID": subject(n), "MHSEQ": "1",
            "MHTERM": term, "MHDECOD": decod, "MHCAT": category}  # fmt: skip


def result(n: int, code: str, value, day: str = WEEK_52, name: str = "RS", **more) -> dict:
    category = "CLINESSDAI" if code.startswith("CESSD") else "DAS28-ESR"
    return {"USUBJID": subject(n), f"{name}TESTCD": code, f"{name}CAT": category,
            f"{name}ORRES": str(value), f"{name}DTC": day} | more  # fmt: skip


def records(name: str, *rows: dict):
    numbered = [{f"{name}SEQ": str(i)} | row for i, row in enumerate(rows, 1)]
    return dataset(name, [{"STUDYID": STUDY, "DOMAIN": name} | row for row in numbered])


def test_each_treated_subject_needs_one_diagnosis_of_a_protocol_disease():
    dm, ex = treated(1, 2, 3, 4, 5)
    dm = make_dm(*[{"USUBJID": subject(n)} for n in range(1, 7)])  # 6 is not treated
    mh = dataset(
        "MH",
        [
            diagnosis(1, "RA", "Rheumatoid arthritis"),  # MHDECOD names the disease
            diagnosis(2, "RHEUMATOID ARTHRITIS", category="PAST CONDITIONS"),  # not a diagnosis
            diagnosis(3, "PSORIASIS", "Psoriasis"),
            diagnosis(4, "RHEUMATOID ARTHRITIS"),
            diagnosis(4, "SJOGREN'S SYNDROME"),
            diagnosis(5, "rheumatoid arthritis "),  # MHTERM, compared without case or spaces
        ],
    )
    result = check("primary_diagnosis", dm, ex, mh, spec=SPEC)
    assert hits(result) == [
        ("DM", 2, subject(2)),
        ("MH", 3, subject(3)),
        ("MH", 4, subject(4)),
        ("MH", 5, subject(4)),
    ]
    by_record = {(f.domain, f.record): f.message for f in result.findings}
    assert by_record[("MH", 3)] == (
        "the primary diagnosis 'PSORIASIS' is none of the protocol's diseases (RA, SjD)"
    )


def test_endpoint_rules_need_the_spec_to_define_endpoints():
    dm, ex = treated(1)
    result = check("endpoint_assessed", dm, ex, spec=make_spec())
    assert (result.status, result.reason) == (
        "not_run",
        "the spec defines no efficacy endpoints (protocol.endpoints)",
    )


def test_the_disease_instrument_is_assessed_inside_the_week_52_window():
    dm, ex = treated(1, 2, 3, 4, 5, 6)
    ex = make_ex(*[{"USUBJID": subject(n)} for n in range(1, 6)], {"USUBJID": subject(6),
                 "EXSTDTC": "2025-05-01", "EXENDTC": "2025-05-01"})  # fmt: skip
    mh = dataset("MH", [diagnosis(n, "RHEUMATOID ARTHRITIS") for n in range(1, 7)])
    rs = records(
        "RS",
        result(1, "DAS28ESR", 2.1, "2026-03-23"),  # Day 378: the window's last day
        result(3, "DAS28ESR", 2.1, "2026-03"),  # partial: may be inside
        result(4, "DAS28ESR", 2.1, "2026-04-14", VISIT="WEEK 52"),  # Day 400
    )
    qs = records("QS", result(2, "CESSDAI", 9, name="QS"))  # the SjD instrument instead
    ts = dataset("TS", [{"TSPARMCD": "DCUTDTC", "TSVAL": "2026-04-30"}])
    found = check("endpoint_assessed", dm, ex, mh, rs, qs, ts, spec=SPEC)
    missing = [("DM", n, subject(n)) for n in (2, 4, 5)]  # 5: no record at all
    assert hits(found) == [*missing, ("RS", 3, subject(4))]
    assert undecided(found) == [("RS", 2, subject(3))]
    assert found.not_evaluable[0].message == (
        "cannot tell whether this DAS28-ESR score falls in Day 350 to Day 378 (WEEK 52): "
        "RSDTC is a partial date overlapping the window"
    )
    by_record = {(f.domain, f.record): f for f in found.findings}
    assert by_record[("DM", 2)].message == (
        "no DAS28-ESR score (RSTESTCD = DAS28ESR) dated Day 350 to Day 378 (WEEK 52)"
    )
    assert by_record[("DM", 2)].values["assessed_instead"] == "ClinESSDAI (the SjD instrument)"
    assert by_record[("RS", 3)].values["protocol_day"] == 400
    assert found.notes == [  # subject 6's window closes on 2026-05-14
        "not judged: 1 treated subject without a WEEK 52 score whose window closes after the "
        "data cut-off (2026-04-30, TS DCUTDTC)",
        "DS not supplied: every subject is expected at the visit",
    ]


def test_without_ts_the_cut_off_is_the_latest_date_of_the_transfer():
    dm, ex = treated(1, 2)
    mh = dataset("MH", [diagnosis(n, "RHEUMATOID ARTHRITIS") for n in (1, 2)])
    rs = records("RS", result(1, "DAS28ESR", 2.1, "2026-03-01"))
    found = check("endpoint_assessed", dm, ex, mh, rs, spec=SPEC)
    assert hits(found) == [] and len(found.notes) == 2  # no SjD subject: QS is not missed
    assert "(2026-03-01, the latest date in the transfer)" in found.notes[0]


def test_instrument_results_are_numbers_in_range_and_responders_y_or_n():
    rs = records(
        "RS",
        result(1, "DAS28ESR", 11),
        result(1, "TJC28", "many"),
        result(1, "TJC28", 28),  # the range includes its ends
        result(1, "DASRESP", "YES"),
        result(2, "DASRESP", "N"),
        result(2, "SJC28", 40),  # no range given for it
    )
    qs = records("QS", result(3, "CESSDAI", -1, name="QS"))
    found = check("endpoint_values", rs, qs, spec=SPEC)
    assert hits(found) == [
        ("QS", 1, subject(3)),
        ("RS", 1, subject(1)),
        ("RS", 2, subject(1)),
        ("RS", 4, subject(1)),
    ]
    by_record = {(f.domain, f.record): f.message for f in found.findings}
    assert by_record[("RS", 1)] == (
        "DAS28-ESR result DAS28ESR = 11 is outside the instrument's range, 0 to 10"
    )
    assert by_record[("RS", 2)] == "DAS28-ESR result TJC28 = many is not a number"


def test_the_responder_result_follows_the_score_or_its_improvement():
    rs = records(
        "RS",
        result(1, "DAS28ESR", 2.1),
        result(1, "DASRESP", "N"),  # 2.1 < 2.6: a responder
        result(2, "DAS28ESR", 3.0),
        result(2, "DASRESP", "Y"),
        result(3, "DAS28ESR", 2.1),
        result(3, "DASRESP", "Y"),
        result(8, "DASRESP", "Y"),  # no score at Week 52
    )
    qs = records(
        "QS",
        *[result(n, "CESSDAI", 14, BASELINE, "QS") for n in (4, 6, 7)],
        result(4, "CESSDAI", 9, name="QS"),
        result(4, "CESSDRSP", "N", name="QS"),  # improved by 5
        result(5, "CESSDAI", 9, name="QS"),
        result(5, "CESSDRSP", "Y", name="QS"),  # no baseline
        result(6, "CESSDAI", 11, name="QS"),
        result(6, "CESSDRSP", "N", name="QS"),  # improved by 3: right
        result(7, "CESSDAI", 10, name="QS"),
        result(7, "CESSDRSP", "Y", name="QS"),  # improved by exactly 4: right
    )
    dm, ex = treated(1, 2, 3, 4, 5, 6, 7, 8)
    found = check("endpoint_responder", dm, ex, rs, qs, spec=SPEC)
    assert hits(found) == [("QS", 5, subject(4)), ("RS", 2, subject(1)), ("RS", 4, subject(2))]
    assert undecided(found) == [("QS", 7, subject(5)), ("RS", 7, subject(8))]
    by_record = {(f.domain, f.record): f for f in found.findings}
    assert by_record[("QS", 5)].message == (
        "responder result N: the ClinESSDAI improvement from baseline 5 (14 to 9) meets the "
        "threshold (>= 4)"
    )
    assert by_record[("QS", 5)].values["improvement"] == 5
    assert by_record[("RS", 4)].message == (
        "responder result Y: the DAS28-ESR 3 does not meet the threshold (< 2.6)"
    )


def das28_visit(n: int, visit: int, tjc, sjc, esr, pga, score) -> list[dict]:
    parts = {"TJC28": tjc, "SJC28": sjc, "ESR": esr, "PTGLOBAL": pga, "DAS28ESR": score}
    return [result(n, c, v, VISITNUM=str(visit)) for c, v in parts.items() if v is not None]


def test_das28_esr_is_recomputed_from_its_components_at_the_same_visit():
    expected = 0.56 * math.sqrt(2) + 0.28 * math.sqrt(1) + 0.70 * math.log(12) + 0.014 * 20
    assert round(expected, 2) == 3.09
    rs = records(
        "RS",
        *das28_visit(1, 1, 2, 1, 12, 20, 3.09),
        *das28_visit(1, 2, 2, 1, 12, 20, 2.5),  # another visit, recorded wrong
        *das28_visit(2, 1, 2, 1, None, 20, 9.9),  # no ESR: not judged
        *das28_visit(3, 1, 2, 1, 12, 20, 3.09),
        result(3, "TJC28", 5, VISITNUM="1"),  # a component twice
        *das28_visit(4, 1, 2, 1, 0, 20, 3.09),  # ESR 0: the logarithm is undefined
        *[r | {"VISITNUM": None} for r in das28_visit(5, 1, 2, 1, 12, 20, 2.5)],  # no visit
    )
    found = check("das28_recomputed", rs, params=DAS28, spec=SPEC)
    assert hits(found) == [("RS", 10, subject(1))]
    assert undecided(found) == [("RS", 19, subject(3)), ("RS", 25, subject(4))]
    finding = found.findings[0]
    assert finding.message == "DAS28-ESR = 2.5 but its components give 3.09"
    assert finding.values["tjc28"] == 2
    assert [f.message for f in found.not_evaluable] == [
        "DAS28-ESR = 3.09 is not recomputed: a component is recorded twice at the visit with "
        "different values",
        "DAS28-ESR = 3.09 is not recomputed: a component is outside what the formula takes (a "
        "negative joint count, an ESR of 0 or less)",
    ]
    assert found.notes == [
        "not recomputed: 1 DAS28-ESR score without VISITNUM, so no components pair with them",
        "not recomputed: 1 DAS28-ESR score whose visit lacks a component",
    ]


def test_das28_names_an_instrument_of_the_spec():
    rs = records("RS", *das28_visit(1, 1, 2, 1, 12, 20, 3.09))
    params = DAS28 | {"instrument": "DAS28-CRP"}
    found = check("das28_recomputed", rs, params=params, spec=SPEC)
    assert (found.status, found.reason) == (
        "not_run",
        "the spec's endpoints name no instrument DAS28-CRP",
    )


def test_a_disease_has_one_instrument():
    twice = ENDPOINTS.model_dump()
    twice["instruments"][1]["disease"] = "RA"
    with pytest.raises(ValidationError, match="each disease has one instrument"):
        Endpoints.model_validate(twice)


def test_a_diagnosis_term_may_name_one_disease_only():
    twice = ENDPOINTS.model_dump()
    twice["instruments"][1]["terms"].append("Rheumatoid Arthritis")
    with pytest.raises(ValidationError, match="RHEUMATOID ARTHRITIS: a diagnosis term names"):
        Endpoints.model_validate(twice)


def test_an_instrument_dataset_the_transfer_lacks_holds_no_records_of_it():
    dm, ex = treated(1, 2)
    mh = dataset("MH", [diagnosis(1, "RHEUMATOID ARTHRITIS"), diagnosis(2, "SJOGREN'S SYNDROME")])
    rs = records("RS", result(1, "DAS28ESR", 2.1))
    ts = dataset("TS", [{"TSPARMCD": "DCUTDTC", "TSVAL": "2026-06-30"}])
    found = check("endpoint_assessed", dm, ex, mh, rs, ts, spec=SPEC)  # no QS for subject 2
    assert hits(found) == [("DM", 2, subject(2))]
    assert check("endpoint_values", rs, spec=SPEC).status == "passed"
    neither = check("endpoint_values", dm, spec=SPEC)
    assert (neither.status, neither.reason) == (
        "not_run",
        "RS or QS not supplied (the endpoint instruments' datasets)",
    )


def test_an_unreadable_instrument_dataset_stops_the_rule():
    from trialguard.readers.study import Unreadable

    rs = records("RS", result(1, "DAS28ESR", 2.1))
    found = check("endpoint_values", rs, spec=SPEC, unreadable=[Unreadable("QS", "qs.xpt", "bad")])
    assert found.status == "not_run" and found.reason.startswith("QS could not be read")


def test_a_score_not_done_or_with_an_unusable_date_is_no_assessment():
    dm, ex = treated(1, 2, 3, 4)
    mh = dataset("MH", [diagnosis(n, "RHEUMATOID ARTHRITIS") for n in (1, 2, 3, 4)])
    rs = records(
        "RS",
        result(1, "DAS28ESR", "", RSSTAT="NOT DONE"),  # no value: not assessed
        result(2, "DAS28ESR", 2.1, "2026-13-09"),  # not a date
        result(3, "DAS28ESR", 2.1, ""),  # no date
        result(4, "DAS28ESR", 2.1),
    )
    ts = dataset("TS", [{"TSPARMCD": "DCUTDTC", "TSVAL": "2026-06-30"}])
    found = check("endpoint_assessed", dm, ex, mh, rs, ts, spec=SPEC)
    assert hits(found) == [("DM", 1, subject(1))]
    assert undecided(found) == [("RS", 2, subject(2)), ("RS", 3, subject(3))]
    assert sorted(f.message.rsplit(": ", 1)[1] for f in found.not_evaluable) == [
        "RSDTC is empty",
        "RSDTC is not an ISO 8601 date",
    ]


def test_a_subject_who_left_the_study_before_the_window_is_not_expected_at_it():
    dm, ex = treated(1, 2, 3)
    mh = dataset("MH", [diagnosis(n, "RHEUMATOID ARTHRITIS") for n in (1, 2, 3)])
    rs = records("RS", result(3, "DAS28ESR", 2.1))
    ds = dataset(
        "DS",
        [
            {
                "USUBJID": subject(1),
                "DSCAT": "DISPOSITION EVENT",
                "DSDECOD": "WITHDRAWAL BY SUBJECT",
                "DSSTDTC": "2025-09-01",
            },  # fmt: skip
            {
                "USUBJID": subject(2),
                "DSCAT": "DISPOSITION EVENT",
                "DSDECOD": "DEATH",
                "DSSTDTC": "2026-03-01",
            },  # fmt: skip  (inside the window: still expected)
            {
                "USUBJID": subject(3),
                "DSCAT": "DISPOSITION EVENT",
                "DSDECOD": "COMPLETED",
                "DSSTDTC": "2026-03-09",
            },  # fmt: skip
        ],
    )
    ts = dataset("TS", [{"TSPARMCD": "DCUTDTC", "TSVAL": "2026-06-30"}])
    found = check("endpoint_assessed", dm, ex, mh, rs, ds, ts, spec=SPEC)
    assert hits(found) == [("DM", 2, subject(2))]
    assert "not judged: 1 treated subject who left the study (DS) before Day 350" in found.notes


def test_endpoint_assessment_needs_a_subject_with_one_protocol_disease():
    dm, ex = treated(1, 2)
    mh = dataset("MH", [diagnosis(n, "ASTHMA") for n in (1, 2)])
    rs = records("RS", result(1, "DAS28ESR", 2.1))
    found = check("endpoint_assessed", dm, ex, mh, rs, spec=SPEC)
    assert (found.status, found.reason) == (
        "not_run",
        "no treated subject has one protocol disease in MH (see primary_diagnosis)",
    )


def test_responder_results_rounding_ties_and_dates():
    qs = records(
        "QS",
        result(1, "CESSDAI", 10.2, BASELINE, "QS"),
        result(1, "CESSDAI", 6.2, name="QS"),
        result(1, "CESSDRSP", "Y", name="QS"),  # improved by 4.0 (not 3.999...): right
        result(2, "CESSDAI", 14, BASELINE, "QS"),
        result(2, "CESSDAI", 9, name="QS"),
        result(2, "CESSDAI", 12, name="QS"),  # the same day, another score: undecided
        result(2, "CESSDRSP", "N", name="QS"),
        result(3, "CESSDAI", 14, BASELINE, "QS"),
        result(3, "CESSDAI", 9, "2026-03-16", "QS"),  # Day 371, seven days late
        result(3, "CESSDAI", 12, "2026-03-02", "QS"),  # Day 357, as near: the earlier counts
        result(3, "CESSDRSP", "N", name="QS"),  # improved by 2: right
        result(4, "CESSDAI", 14, BASELINE, "QS"),
        result(4, "CESSDAI", 9, name="QS"),
        result(4, "CESSDRSP", "N", "2026-3-9", "QS"),  # not ISO 8601
    )
    dm, ex = treated(1, 2, 3, 4)
    found = check("endpoint_responder", dm, ex, qs, spec=SPEC)
    assert hits(found) == []
    assert undecided(found) == [("QS", 7, subject(2)), ("QS", 14, subject(4))]
    assert [f.message for f in found.not_evaluable] == [
        "responder result N: two ClinESSDAI scores on the day nearest the visit differ",
        "responder result N: cannot tell whether it is the WEEK 52 result: QSDTC is not an "
        "ISO 8601 date",
    ]


def test_rules_with_no_instrument_records_do_not_run():
    rs = records("RS", {**result(1, "DAS28ESR", 2.1), "RSCAT": "DAS-28"})  # not the spec's
    values = check("endpoint_values", rs, spec=SPEC)
    assert (values.status, values.reason) == (
        "not_run",
        "no records of any endpoint instrument (RSCAT = DAS28-ESR, QSCAT = CLINESSDAI)",
    )
    das28 = check("das28_recomputed", rs, params=DAS28, spec=SPEC)
    assert (das28.status, das28.reason) == (
        "not_run",
        "no DAS28-ESR scores (RSCAT = DAS28-ESR, RSTESTCD = DAS28ESR, with a number)",
    )


def disposition(n: int, decod: str, day: str, **more) -> dict:
    return {"USUBJID": subject(n), "DSCAT": "DISPOSITION EVENT", "DSDECOD": decod,
            "DSSTDTC": day} | more  # fmt: skip


def test_who_left_the_study_is_read_from_its_study_level_disposition():
    dm, ex = treated(1, 2, 3)
    mh = dataset("MH", [diagnosis(n, "RHEUMATOID ARTHRITIS") for n in (1, 2, 3)])
    rs = records("RS", result(9, "DAS28ESR", 2.1))
    ts = dataset("TS", [{"TSPARMCD": "DCUTDTC", "TSVAL": "2027-06-30"}])
    treatment, study = {"DSSCAT": "STUDY TREATMENT"}, {"DSSCAT": "STUDY PARTICIPATION"}
    ds = dataset(
        "DS",
        [
            disposition(1, "ADVERSE EVENT", "2025-03-20", **treatment),  # treatment stopped
            disposition(1, "COMPLETED", "2027-03-20", **study),  # ... but stayed in the study
            disposition(2, "WITHDRAWAL BY SUBJECT", "2026-02", **study),  # partial: perhaps
            disposition(3, "LOST TO FOLLOW-UP", "2025-08-01", **study),
        ],
    )
    found = check("endpoint_assessed", dm, ex, mh, rs, ds, ts, spec=SPEC)
    assert hits(found) == [("DM", 1, subject(1))]
    assert undecided(found) == [("DM", 2, subject(2))]
    assert found.not_evaluable[0].message.endswith(
        "and the subject may have left the study before it: its DS DSSTDTC is partial, empty "
        "or not ISO 8601"
    )
    assert "not judged: 1 treated subject who left the study (DS) before Day 350" in found.notes
    ds.frame = ds.frame.drop(columns=["DSCAT"])  # without DSCAT no record says who left
    found = check("endpoint_assessed", dm, ex, mh, rs, ds, ts, spec=SPEC)
    assert hits(found) == [("DM", n, subject(n)) for n in (1, 2, 3)]
    assert found.notes[-1] == ("DS lacks DSCAT: every subject is expected at the visit")


def test_an_undated_score_of_another_visit_is_no_candidate_and_day0_is_needed():
    dm, ex = treated(1, 2)
    ex = make_ex({"USUBJID": subject(1)}, {"USUBJID": subject(2), "EXSTDTC": "2025-03",
                 "EXENDTC": "2025-03"})  # fmt: skip
    mh = dataset("MH", [diagnosis(n, "RHEUMATOID ARTHRITIS") for n in (1, 2)])
    rs = records("RS", result(1, "DAS28ESR", 4.1, "", VISIT="SCREENING"))
    ts = dataset("TS", [{"TSPARMCD": "DCUTDTC", "TSVAL": "2026-06-30"}])
    found = check("endpoint_assessed", dm, ex, mh, rs, ts, spec=SPEC)
    assert hits(found) == [("DM", 1, subject(1))] and undecided(found) == []
    assert (
        "not judged: 1 subject with a protocol disease but no Day 0 (not treated, or its "
        "infusion date is partial)" in found.notes
    )
    nobody = check("endpoint_assessed", dm, make_ex({"USUBJID": subject(1), "EXSTDTC": "2025",
                   "EXENDTC": "2025"}), mh, rs, spec=SPEC)  # fmt: skip
    assert (nobody.status, nobody.reason) == (
        "not_run",
        "no subject has a Day 0 (see the Day 0 rules)",
    )
    untreated = check("primary_diagnosis", dm, make_ex({"USUBJID": subject(1), "EXSTDTC":
                      "2025", "EXENDTC": "2025"}), mh, spec=SPEC)  # fmt: skip
    assert (untreated.status, untreated.reason) == (nobody.status, nobody.reason)


def test_responder_baseline_ties_unplaced_scores_and_missing_results():
    qs = records(
        "QS",
        result(1, "CESSDAI", 14, BASELINE, "QS"),
        result(1, "CESSDAI", 12, BASELINE, "QS"),  # two baselines that day: undecided
        result(1, "CESSDAI", 9, name="QS"),
        result(1, "CESSDRSP", "N", name="QS"),
        result(2, "CESSDAI", 14, BASELINE, "QS"),
        result(2, "CESSDAI", 9, "2026-03", "QS"),  # the score's date is partial
        result(2, "CESSDRSP", "Y", name="QS"),
    )
    dm, ex = treated(1, 2)
    found = check("endpoint_responder", dm, ex, qs, spec=SPEC)
    assert hits(found) == []
    assert [(f.record, f.message) for f in found.not_evaluable] == [
        (7, "responder result Y: the ClinESSDAI score's date cannot place it at the WEEK 52 "
            "visit (partial, empty or not ISO 8601)"),
        (4, "responder result N: two baseline ClinESSDAI scores on the latest day differ"),
    ]  # fmt: skip
    assert found.notes == ["nothing checked for DAS28-ESR: no records of RSTESTCD = DASRESP"]
    scores_only = records("RS", result(1, "DAS28ESR", 2.1))
    none = check("endpoint_responder", dm, ex, scores_only, spec=SPEC)
    assert (none.status, none.reason) == (
        "not_run",
        "no responder results of any endpoint instrument (RSTESTCD = DASRESP, QSTESTCD = CESSDRSP)",
    )


def test_das28_leaves_out_a_component_not_done_and_a_repeat_of_the_same_value():
    for order in (1, -1):
        not_done = [result(1, "TJC28", "", VISITNUM="1", RSSTAT="NOT DONE")]
        rows = [*not_done, *das28_visit(1, 1, 2, 1, 12, 20, 2.5)][::order]
        rows += das28_visit(2, 1, 2, 1, 12, 20, 3.09) + [result(2, "ESR", 12, VISITNUM="1")]
        found = check("das28_recomputed", records("RS", *rows), params=DAS28, spec=SPEC)
        assert [f.usubjid for f in found.findings] == [subject(1)]
        assert undecided(found) == [] and found.notes == []


def test_a_withdrawal_after_a_completed_treatment_is_leaving_and_an_undated_one_may_be():
    dm, ex = treated(1, 2, 3)
    mh = dataset("MH", [diagnosis(n, "RHEUMATOID ARTHRITIS") for n in (1, 2, 3)])
    rs = records("RS", result(9, "DAS28ESR", 2.1))
    ts = dataset("TS", [{"TSPARMCD": "DCUTDTC", "TSVAL": "2027-06-30"}])
    ds = dataset(
        "DS",
        [
            disposition(1, "COMPLETED", DAY0, DSSCAT="END OF TREATMENT"),
            disposition(1, "WITHDRAWAL BY SUBJECT", "2025-09-01", DSSCAT="END OF STUDY"),
            disposition(2, "LOST TO FOLLOW-UP", ""),  # no date: perhaps before the window
            disposition(3, "ADVERSE EVENT", "2025-06-01"),
            disposition(3, "COMPLETED", "2027-03-20"),  # completed the study after all
        ],
    )
    found = check("endpoint_assessed", dm, ex, mh, rs, ds, ts, spec=SPEC)
    assert hits(found) == [("DM", 3, subject(3))]
    assert undecided(found) == [("DM", 2, subject(2))]
    assert "not judged: 1 treated subject who left the study (DS) before Day 350" in found.notes
    ds.frame = ds.frame.drop(columns=["USUBJID"])
    found = check("endpoint_assessed", dm, ex, mh, rs, ds, ts, spec=SPEC)
    assert found.notes[-1] == "DS lacks USUBJID: every subject is expected at the visit"


def test_das28_pairs_by_the_instrument_visitnum_and_a_spec_message_wins():
    rows = [r | {"VISITNUM": None} for r in das28_visit(1, 1, 2, 1, 12, 20, 9.99)]
    other = {**result(1, "OTHER", 1, VISITNUM="5"), "RSCAT": "OTHER"}  # VISITNUM elsewhere only
    found = check("das28_recomputed", records("RS", *rows, other), params=DAS28, spec=SPEC)
    assert hits(found) == [("RS", 5, subject(1))]
    twice = records("RS", *das28_visit(2, 1, 2, 1, 12, 20, 3.09), result(2, "ESR", 5, VISITNUM="1"))
    told = check(
        "das28_recomputed", twice, params=DAS28, spec=SPEC, message="{recorded}: {problem}"
    )
    assert [f.message for f in told.not_evaluable] == [
        "3.09: a component is recorded twice at the visit with different values"
    ]


def test_each_responder_result_is_undecided_for_one_reason():
    qs = records(
        "QS",
        result(1, "CESSDAI", 14, BASELINE, "QS"),
        result(1, "CESSDAI", 12, BASELINE, "QS"),  # two baselines, and no score at the visit
        result(1, "CESSDRSP", "N", name="QS"),
        result(2, "CESSDAI", 9, name="QS"),
        result(2, "CESSDAI", 10, name="QS"),  # two scores that day, and no baseline
        result(2, "CESSDRSP", "N", name="QS"),
    )
    dm, ex = treated(1, 2)
    found = check("endpoint_responder", dm, ex, qs, spec=SPEC)
    assert [(f.record, f.message.split(": ", 1)[1]) for f in found.not_evaluable] == [
        (3, "no ClinESSDAI score at the WEEK 52 visit to judge it by"),
        (6, "two ClinESSDAI scores on the day nearest the visit differ"),
    ]
