"""The Trial Summary and trial design checks (TS, TA, TE, TV, SE, SV against each other and DM)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CT_2025, EXTERNAL, check, dataset, hits, make_dm, subject, undecided

from trialguard.sdtm.ct_release import NCI_HEADER, load_ct_release
from trialguard.sdtm.ig_version import IgVersion
from trialguard.standards import Standards

PILOT = EXTERNAL / "cdiscpilot01"


def ts(*rows: dict) -> object:
    base = {"STUDYID": "S1", "DOMAIN": "TS", "TSSEQ": "1"}
    return dataset("TS", [base | row for row in rows])


def with_release(tmp_path: Path, rows: list[tuple]) -> Standards:
    lines = ["\t".join(NCI_HEADER), *("\t".join(row) for row in rows)]
    path = tmp_path / "SDTM Terminology 2025-03-25.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Standards(IgVersion("3.4", "default"), load_ct_release(path))


TS_ROWS = [
    ("C66738", "", "Yes", "Trial Summary Parameter Test Code", "TSPARMCD", "", "d", "p"),
    ("C49703", "C66738", "", "Trial Summary Parameter Test Code", "ADDON", "", "d", "p"),
    ("C49694", "C66738", "", "Trial Summary Parameter Test Code", "AGEMAX", "", "d", "p"),
    ("C67152", "", "Yes", "Trial Summary Parameter Test Name", "TSPARM", "", "d", "p"),
    (
        "C49703",
        "C67152",
        "",
        "Trial Summary Parameter Test Name",
        "Added on to Existing Treatments",
        "",
        "d",
        "p",
    ),  # noqa: E501
    (
        "C49694",
        "C67152",
        "",
        "Trial Summary Parameter Test Name",
        "Planned Maximum Age of Subjects",
        "",
        "d",
        "p",
    ),  # noqa: E501
    ("C66742", "", "No", "No Yes Response", "NY", "", "d", "p"),
    ("C49488", "C66742", "", "No Yes Response", "Y", "Yes", "d", "p"),
    ("C49487", "C66742", "", "No Yes Response", "N", "No", "d", "p"),
]
ADDON = {"TSPARMCD": "ADDON", "TSPARM": "Added on to Existing Treatments"}


# TS parameters -------------------------------------------------------------------------------
def test_ts_parameters_are_terms_of_the_release_and_paired(tmp_path):
    data = ts(
        ADDON,
        {"TSPARMCD": "AGESPAN", "TSPARM": "Age Group"},
        {"TSPARMCD": "ADDON", "TSPARM": "Planned Maximum Age of Subjects"},
    )
    result = check("ts_parameter_terms", data, standards=with_release(tmp_path, TS_ROWS))
    assert hits(result) == [("TS", 2, None), ("TS", 2, None), ("TS", 3, None)]
    messages = [f.message for f in result.findings]
    assert messages[0].startswith("TSPARMCD 'AGESPAN' is not a term of codelist C66738")
    assert messages[1].startswith("TSPARM 'Age Group' is not a term of codelist C67152")
    assert messages[2].startswith("TSPARMCD 'ADDON' and TSPARM 'Planned Maximum Age of Subjects'")


def test_ts_parameter_terms_do_not_run_without_a_release():
    result = check("ts_parameter_terms", ts(ADDON))
    assert result.status == "not_run" and "--ct" in result.reason and result.excused


def test_ts_parameter_codes_and_names_keep_their_lengths_and_map_one_to_one():
    data = ts(
        ADDON,
        {"TSPARMCD": "TOOLONGCD", "TSPARM": "Long"},
        {"TSPARMCD": "X", "TSPARM": "N" * 41},
        {"TSPARMCD": "ADDON", "TSPARM": "Add-on"},
    )
    result = check("ts_parameter_names", data)
    assert hits(result) == [("TS", 1, None), ("TS", 2, None), ("TS", 3, None), ("TS", 4, None)]


def test_missing_ts_parameters_are_one_finding_each_about_ts():
    data = ts(
        {"TSPARMCD": "STYPE", "TSVAL": "INTERVENTIONAL"},
        {"TSPARMCD": "HLTSUBJI", "TSVAL": "Y"},
    )
    params = {
        "parameters": ["STYPE", "SSTDTC"],
        "when": {"TINDTP": {"STYPE": ["INTERVENTIONAL"]}, "TDIGRP": {"HLTSUBJI": ["N"]}},
    }
    result = check("ts_required_parameters", data, params=params)
    assert [(f.domain, f.record) for f in result.findings] == [("TS", None), ("TS", None)]
    assert [f.message for f in result.findings] == [
        "TS has no SSTDTC record (needed in every study)",
        "TS has no TINDTP record (needed when STYPE is INTERVENTIONAL)",
    ]


def test_required_ts_parameters_need_ts():
    assert check("ts_required_parameters", make_dm(), params={"parameters": ["X"]}).reason == (
        "TS not supplied"
    )


# TS values -----------------------------------------------------------------------------------
def test_tsval_or_its_null_flavor_but_not_both():
    data = ts(
        {"TSPARMCD": "A", "TSVAL": "Y", "TSVALNF": ""},
        {"TSPARMCD": "B", "TSVAL": "", "TSVALNF": "NA"},
        {"TSPARMCD": "C", "TSVAL": "", "TSVALNF": ""},
        {"TSPARMCD": "D", "TSVAL": "Something", "TSVALNF": "UNK"},
        {"TSPARMCD": "E", "TSVAL": "Unknown", "TSVALNF": "UNK"},
    )
    assert hits(check("ts_null_flavors", data)) == [("TS", 3, None), ("TS", 4, None)]


def test_ts_dates_durations_and_counts_have_their_form():
    data = ts(
        {"TSPARMCD": "SSTDTC", "TSVAL": "2012-07-22"},
        {"TSPARMCD": "SSTDTC", "TSVAL": "22JUL2012"},
        {"TSPARMCD": "AGEMIN", "TSVAL": "P50Y"},
        {"TSPARMCD": "AGEMAX", "TSVAL": "No maximum"},
        {"TSPARMCD": "AGEMAX", "TSVAL": "", "TSVALNF": "PINF"},
        {"TSPARMCD": "PLANSUB", "TSVAL": "300"},
        {"TSPARMCD": "PLANSUB", "TSVAL": "about 300"},
        {"TSPARMCD": "TITLE", "TSVAL": "P50Y study"},
    )
    params = {"dates": ["SSTDTC"], "durations": ["AGEMIN", "AGEMAX"], "numbers": ["PLANSUB"]}
    result = check("ts_value_formats", data, params=params)
    assert hits(result) == [("TS", 2, None), ("TS", 4, None), ("TS", 7, None)]
    assert "is not an ISO 8601 duration" in result.findings[1].message


def test_tsvalcd_and_tsval_map_one_to_one_and_without_ct_a_note_says_what_did_not_run():
    data = ts(
        {"TSPARMCD": "ADDON", "TSVAL": "Y", "TSVALCD": "C49488", "TSVCDREF": "CDISC"},
        {"TSPARMCD": "RANDOM", "TSVAL": "Yes", "TSVALCD": "C49488", "TSVCDREF": "CDISC"},
        {"TSPARMCD": "TITLE", "TSVAL": "A trial", "TSVALCD": "", "TSVCDREF": ""},
    )
    result = check("ts_value_codes", data)
    assert hits(result) == [("TS", 1, None), ("TS", 2, None)]
    assert any("--ct" in note for note in result.notes)


def test_with_ct_tsval_is_the_submission_value_of_its_cdisc_code(tmp_path):
    data = ts(
        {"TSPARMCD": "ADDON", "TSVAL": "Y", "TSVALCD": "C49488", "TSVCDREF": "CDISC"},
        {"TSPARMCD": "RANDOM", "TSVAL": "N", "TSVALCD": "C49488", "TSVCDREF": "CDISC"},
        {"TSPARMCD": "SEXPOP", "TSVAL": "BOTH", "TSVALCD": "C99999", "TSVCDREF": "CDISC"},
        {"TSPARMCD": "INDIC", "TSVAL": "Asthma", "TSVALCD": "195967001", "TSVCDREF": "SNOMED"},
    )
    result = check("ts_value_codes", data, standards=with_release(tmp_path, TS_ROWS))
    # record 2: N under Y's code (and C49488 then goes with Y and N); record 3: no such code
    assert hits(result) == [("TS", 1, None), ("TS", 2, None), ("TS", 2, None), ("TS", 3, None)]
    assert not result.notes


# Arms, epochs, elements, visits ---------------------------------------------------------------
TA = dataset(
    "TA",
    [
        {"ARMCD": "A", "ARM": "Arm A", "TAETORD": "1", "ETCD": "SCRN", "ELEMENT": "Screen",
         "EPOCH": "SCREENING"},
        {"ARMCD": "A", "ARM": "Arm A", "TAETORD": "2", "ETCD": "TRTA", "ELEMENT": "Drug A",
         "EPOCH": "TREATMENT"},
        {"ARMCD": "B", "ARM": "Arm B", "TAETORD": "2", "ETCD": "TRTB", "ELEMENT": "Drug",
         "EPOCH": "TREATMENT"},
    ],
)  # fmt: skip


def test_dm_and_tv_arms_are_arms_of_ta():
    dm = make_dm(
        {"USUBJID": subject(1), "ARMCD": "A", "ARM": "Arm A", "ACTARMCD": "A", "ACTARM": "Arm A"},
        {"USUBJID": subject(2), "ARMCD": "A", "ARM": "Arm B", "ACTARMCD": "B", "ACTARM": "Arm B"},
        {"USUBJID": subject(3), "ARMCD": "SCRNFAIL", "ARM": "Screen Failure",
         "ACTARMCD": "SCRNFAIL", "ACTARM": "Screen Failure"},
        {"USUBJID": subject(4), "ARMCD": "", "ARM": "", "ACTARMCD": "", "ACTARM": ""},
        {"USUBJID": subject(5), "ARMCD": "B", "ARM": "Arm B", "ACTARMCD": "C", "ACTARM": ""},
        {"USUBJID": subject(6), "ARMCD": "B", "ARM": "Arm B", "ACTARMCD": "NOTTRT",
         "ACTARM": "Not Treated"},
        {"USUBJID": subject(7), "ARMCD": "Scrnfail", "ARM": "Screen Failure",
         "ACTARMCD": "Scrnfail", "ACTARM": "Screen Failure"},
    )  # fmt: skip
    tv = dataset("TV", [{"VISITNUM": "1", "ARMCD": ""}, {"VISITNUM": "2", "ARMCD": "Z"}])
    assert hits(check("arms_in_ta", dm, tv, TA)) == [
        ("DM", 2, subject(2)),
        ("DM", 5, subject(5)),
        ("TV", 2, None),
    ]


def test_a_tv_with_arm_but_no_armcd_has_its_arm_judged_alone():
    tv = dataset("TV", [{"VISITNUM": "1", "ARM": "Arm A"}, {"VISITNUM": "2", "ARM": "Arm Z"}])
    assert hits(check("arms_in_ta", tv, TA)) == [("TV", 2, None)]


def test_arms_need_ta():
    assert check("arms_in_ta", make_dm({"USUBJID": subject(1)})).reason == "TA not supplied"


def test_epochs_are_epochs_of_ta():
    ae = dataset("AE", [{"USUBJID": subject(1), "EPOCH": "TREATMENT"},
                        {"USUBJID": subject(1), "EPOCH": "FOLLOW-UP"},
                        {"USUBJID": subject(1), "EPOCH": ""}])  # fmt: skip
    se = dataset("SE", [{"USUBJID": subject(1), "EPOCH": "Screening"}])
    assert hits(check("epoch_in_ta", make_dm({"USUBJID": subject(1)}), ae, se, TA)) == [
        ("AE", 2, subject(1)),
        ("SE", 1, subject(1)),
    ]


TE = dataset(
    "TE",
    [
        {"ETCD": "SCRN", "ELEMENT": "Screen", "TEENRL": "2 weeks", "TEDUR": ""},
        {"ETCD": "TRTA", "ELEMENT": "Drug A", "TEENRL": "", "TEDUR": "P2W"},
        {"ETCD": "TRTB", "ELEMENT": "Drug B", "TEENRL": "", "TEDUR": ""},
    ],
)


def test_elements_of_se_and_ta_are_elements_of_te_unplanned_ones_aside():
    se = dataset(
        "SE",
        [
            {"USUBJID": subject(1), "ETCD": "SCRN", "ELEMENT": "Screen"},
            {"USUBJID": subject(1), "ETCD": "FOLO", "ELEMENT": "Follow-up"},
            {"USUBJID": subject(1), "ETCD": "UNPLAN", "ELEMENT": ""},
            {"USUBJID": subject(1), "ETCD": "TRTA", "ELEMENT": "Drug B"},
            {"USUBJID": subject(1), "ETCD": "TRTA", "ELEMENT": ""},
        ],
    )
    # TA record 3 pairs TRTB with "Drug", TE with "Drug B"
    assert hits(check("elements_in_te", se, TA, TE)) == [
        ("SE", 2, subject(1)),
        ("SE", 4, subject(1)),
        ("TA", 3, None),
    ]


def test_element_codes_and_names_map_one_to_one_in_each_dataset():
    se = dataset(
        "SE",
        [
            {"USUBJID": subject(1), "ETCD": "SCRN", "ELEMENT": "Screen"},
            {"USUBJID": subject(2), "ETCD": "SCRN", "ELEMENT": "Screening"},
            {"USUBJID": subject(2), "ETCD": "UNPLAN", "ELEMENT": ""},
            {"USUBJID": subject(3), "ETCD": "UNPLAN", "ELEMENT": ""},
        ],
    )
    te = dataset("TE", [{"ETCD": "A", "ELEMENT": "Same"}, {"ETCD": "B", "ELEMENT": "Same"}])
    assert hits(check("element_one_to_one", se, te)) == [
        ("SE", 1, subject(1)),
        ("SE", 2, subject(2)),
        ("TE", 1, None),
        ("TE", 2, None),
    ]


def test_unplanned_elements_have_no_planned_order_or_name():
    se = dataset(
        "SE",
        [
            {"USUBJID": subject(1), "ETCD": "UNPLAN", "ELEMENT": "", "TAETORD": ""},
            {"USUBJID": subject(1), "ETCD": "UNPLAN", "ELEMENT": "", "TAETORD": "3"},
            {"USUBJID": subject(1), "ETCD": "UNPLAN", "ELEMENT": "Rescue", "TAETORD": ""},
            {"USUBJID": subject(1), "ETCD": "SCRN", "ELEMENT": "Screen", "TAETORD": "1"},
        ],
    )
    assert hits(check("unplanned_elements", se)) == [("SE", 2, subject(1)), ("SE", 3, subject(1))]


def test_trial_elements_have_an_end_rule_or_a_duration():
    assert hits(check("element_end_rule", TE)) == [("TE", 3, None)]
    bare = dataset("TE", [{"ETCD": "A", "ELEMENT": "A"}])
    assert hits(check("element_end_rule", bare)) == [("TE", 1, None)]


def test_elements_lie_within_consent_and_end_of_participation():
    dm = make_dm(
        {"USUBJID": subject(1), "RFICDTC": "2025-01-10", "RFPENDTC": "2025-06-30T10:00"},
        {"USUBJID": subject(2), "RFICDTC": "2025-01", "RFPENDTC": ""},
    )
    se = dataset(
        "SE",
        [
            {"USUBJID": subject(1), "SESTDTC": "2025-01-10", "SEENDTC": "2025-06-30"},
            {"USUBJID": subject(1), "SESTDTC": "2025-01-09", "SEENDTC": "2025-02-01"},
            {"USUBJID": subject(1), "SESTDTC": "2025-02-01", "SEENDTC": "2025-07-01"},
            {"USUBJID": subject(2), "SESTDTC": "2025-01-15", "SEENDTC": "2025-09-01"},
            {"USUBJID": subject(2), "SESTDTC": "2024-12-31", "SEENDTC": "2025-09-01"},
            {"USUBJID": subject(9), "SESTDTC": "2020-01-01", "SEENDTC": "2030-01-01"},
        ],
    )
    result = check("element_dates", dm, se)
    assert hits(result) == [("SE", 2, subject(1)), ("SE", 3, subject(1)), ("SE", 5, subject(2))]
    assert undecided(result) == [("SE", 4, subject(2))]
    assert result.findings[0].message == (
        "SESTDTC 2025-01-09 is before informed consent (RFICDTC 2025-01-10)"
    )


def test_planned_visits_are_in_tv_and_unplanned_ones_have_no_planned_day():
    sv = dataset(
        "SV",
        [
            {"USUBJID": subject(1), "VISITNUM": "1", "VISIT": "SCREENING", "VISITDY": "-7"},
            {"USUBJID": subject(1), "VISITNUM": "2.0", "VISIT": "WEEK 2", "VISITDY": "14"},
            {"USUBJID": subject(1), "VISITNUM": "3", "VISIT": "WEEK 3", "VISITDY": "21"},
            {"USUBJID": subject(1), "VISITNUM": "3.1", "VISIT": "UNS", "SVUPDES": "Rash",
             "VISITDY": ""},
            {"USUBJID": subject(1), "VISITNUM": "3.2", "VISIT": "UNS", "SVUPDES": "Fall",
             "VISITDY": "22"},
        ],
    )  # fmt: skip
    tv = dataset("TV", [{"VISITNUM": "1"}, {"VISITNUM": "2"}])
    assert hits(check("visits_in_tv", sv, tv)) == [("SV", 3, subject(1)), ("SV", 5, subject(1))]
    untold = dataset("SV", [{"USUBJID": subject(1), "VISITNUM": "1.1", "VISIT": "UNSCHEDULED"}])
    result = check("visits_in_tv", untold, tv)
    assert (hits(result), undecided(result)) == ([], [("SV", 1, subject(1))])


# The CDISC pilot -------------------------------------------------------------------------------
@pytest.mark.skipif(not PILOT.is_dir(), reason="the CDISC pilot is not available")
def test_the_pilot_trial_design_findings():
    from trialguard.pipeline import validate

    rules = ["SD-TS-PARM", "SD-TA-ARM", "SD-SE-TE", "SD-TE-END", "SD-TS-VALFMT"]
    report = validate(PILOT, "sdtm", select=rules, ct=CT_2025, encoding="cp1252")
    found = {r.rule.id: len(r.findings) for r in report.results}
    # AGESPAN / Age Group on records 4 and 5, as Pinnacle 21 reports (CT2002) on the TDF copy;
    # and TSPARM of INDIC and TINDTP, renamed in CT since the pilot
    parm = {(f.record, f.values.get("TSPARMCD", f.values.get("TSPARM"))) for r in report.results
            if r.rule.id == "SD-TS-PARM" for f in r.findings}  # fmt: skip
    assert parm == {(4, "AGESPAN"), (5, "AGESPAN"), (4, "Age Group"), (5, "Age Group"),
                    (14, "Trial Indication"), (15, "Trial Indication Type")}  # fmt: skip
    assert found["SD-TE-END"] == found["SD-SE-TE"] == found["SD-TA-ARM"] == 0
    assert found["SD-TS-VALFMT"] == 3  # AGEMIN 50 years, AGEMAX No maximum, LENGTH 26 weeks
