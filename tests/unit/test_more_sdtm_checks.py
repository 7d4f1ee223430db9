"""Unit tests of the SDTM checks for dates in DM, ages, durations, repeats and code pairs."""

from __future__ import annotations

from conftest import check, dataset, hits, make_ae, make_dm, make_ex, subject, undecided


def test_dm_date_pairs_and_birth_before_the_reference_start():
    dm = make_dm(
        {"USUBJID": subject(1), "RFSTDTC": "2025-03-05", "RFENDTC": "2025-03-01"},
        {"USUBJID": subject(2), "RFSTDTC": "2025-03-05", "BRTHDTC": "2025-04"},
        {"USUBJID": subject(3), "RFICDTC": "2025-03-06", "RFXSTDTC": "2025-03-05"},
        {"USUBJID": subject(4), "RFSTDTC": "2025-03-05", "BRTHDTC": "1980", "RFENDTC": "2025"},
    )
    result = check("start_not_after_end", dm)
    found = sorted((f.record, f.variables) for f in result.findings)
    assert found == [
        (1, ("RFSTDTC", "RFENDTC")),
        (2, ("BRTHDTC", "RFSTDTC")),
        (3, ("RFICDTC", "RFXSTDTC")),
    ]


def test_age_agrees_with_birth_at_either_reference_date():
    dm = make_dm(
        {"USUBJID": subject(1), "AGE": "40", "BRTHDTC": "1985-03-06", "RFSTDTC": "2025-03-05"},
        {"USUBJID": subject(2), "AGE": "39", "BRTHDTC": "1985-03-06", "RFSTDTC": "2025-03-05"},
        {"USUBJID": subject(3), "AGE": "39", "BRTHDTC": "1985", "RFSTDTC": "2025-03-05"},
        {"USUBJID": subject(4), "AGE": "41", "BRTHDTC": "1985", "RFSTDTC": "2025-03-05"},
        {
            "USUBJID": subject(5),
            "AGE": "40",
            "BRTHDTC": "1985-03-06",
            "RFSTDTC": "2025-03-06",
            "RFICDTC": "2025-02-01",
        },
        {"USUBJID": subject(6), "AGE": "40", "BRTHDTC": "1985-03-06", "RFSTDTC": ""},
        {
            "USUBJID": subject(7),
            "AGE": "40",
            "AGEU": "MONTHS",
            "BRTHDTC": "1985",
            "RFSTDTC": "2025-03-05",
        },
    )
    result = check("age_from_birth", dm)
    assert hits(result) == [("DM", 1, subject(1)), ("DM", 4, subject(4))]
    assert result.findings[0].values["age at RFSTDTC"] == "39"
    assert undecided(result) == [("DM", 6, subject(6))]


def test_durations_are_iso_8601_and_collected_ones_not_negative():
    ae = make_ae(
        {"USUBJID": subject(1), "AEDUR": "P2D"},
        {"USUBJID": subject(2), "AEDUR": "2 days"},
        {"USUBJID": subject(3), "AEDUR": "-P1D"},
        {"USUBJID": subject(4), "AEDUR": "PT1H30M"},
        {"USUBJID": subject(5), "AEDUR": "P"},
    )
    ex = make_ex(
        {"USUBJID": subject(1), "EXELTM": "-PT15M"}, {"USUBJID": subject(2), "EXELTM": "P0.5D"}
    )
    result = check("iso8601_durations", ae, ex)
    assert hits(result) == [("AE", 2, subject(2)), ("AE", 3, subject(3)), ("AE", 5, subject(5))]


def test_subjid_is_unique_within_the_study():
    dm = make_dm(
        {"USUBJID": subject(1), "SUBJID": "001", "SITEID": "01"},
        {"USUBJID": subject(2), "SUBJID": "001", "SITEID": "02"},
        {"USUBJID": subject(3), "SUBJID": "003"},
        {"USUBJID": subject(4), "SUBJID": ""},
        {"USUBJID": subject(5), "SUBJID": ""},
    )
    result = check(
        "unique_values", dm, params={"dataset": "DM", "variables": ["STUDYID", "SUBJID"]}
    )
    assert hits(result) == [("DM", 1, subject(1)), ("DM", 2, subject(2))]


def test_a_repeated_record_is_every_later_copy_but_seq_and_spid():
    ae = make_ae(
        {"USUBJID": subject(1), "AESPID": "E1"},
        {"USUBJID": subject(1), "AESPID": "E2"},
        {"USUBJID": subject(1), "AESPID": "E3", "AESTDTC": "2025-03-13"},
        {"USUBJID": subject(1), "AESPID": "E4"},
    )
    result = check("repeated_records", ae, params={"ignore": ["--SPID"]})
    assert hits(result) == [("AE", 2, subject(1)), ("AE", 4, subject(1))]
    assert result.findings[0].values == {"AESEQ": "2", "AESPID": "E2", "first": 1}
    assert hits(check("repeated_records", ae)) == []  # AESPID tells them apart


def test_codes_and_descriptions_map_one_to_one():
    dm = make_dm(
        {"USUBJID": subject(1), "ARMCD": "A", "ARM": "Arm A"},
        {"USUBJID": subject(2), "ARMCD": "A", "ARM": "Arm A (high)"},
        {"USUBJID": subject(3), "ARMCD": "B", "ARM": "Arm B"},
        {"USUBJID": subject(4), "ARMCD": "C", "ARM": "Arm B"},
        {"USUBJID": subject(5), "ARMCD": "D", "ARM": ""},
    )
    result = check("one_to_one", dm, params={"pairs": [["ARMCD", "ARM"]]})
    assert [f.record for f in sorted(result.findings, key=lambda f: f.record)] == [1, 2, 3, 4]
    ae = make_ae(
        {"USUBJID": subject(1), "AEDECOD": "Nausea", "AEPTCD": "1"},
        {"USUBJID": subject(1), "AEDECOD": "Nausea", "AEPTCD": "1"},
    )
    assert hits(check("one_to_one", ae, params={"pairs": [["--DECOD", "--PTCD"]]})) == []


def test_arm_codes_are_at_most_20_characters():
    dm = make_dm(
        {"USUBJID": subject(1), "ARMCD": "A" * 21, "ACTARMCD": "A" * 20},
        {"USUBJID": subject(2), "ARMCD": "B", "ACTARMCD": "B" * 25},
    )
    result = check("variable_length", dm)
    assert sorted((f.record, f.variables) for f in result.findings) == [
        (1, ("ARMCD",)),
        (2, ("ACTARMCD",)),
    ]
    assert "longer than 20 characters" in result.findings[0].message


def test_variables_outside_the_model_are_listed_once_per_dataset():
    dm = make_dm({"USUBJID": subject(1), "ARCTARM": "A", "VISITNUM": "1"})
    ae = make_ae({"USUBJID": subject(1), "AEOCCUR": "Y", "AEDUR": "P1D", "AESMIE": "N"})
    ex = make_ex({"USUBJID": subject(1), "EXCUMDOS": "10", "EXLOT": "L1", "EPOCH": "TREATMENT"})
    result = check("model_variables", dm, ae, ex)
    assert sorted((f.domain, f.variables, f.record) for f in result.findings) == [
        ("AE", ("AEOCCUR",), None),
        ("DM", ("ARCTARM",), None),
        ("EX", ("EXCUMDOS",), None),
    ]
    allowed = check("model_variables", ex, params={"allowed": {"EX": ["EXCUMDOS"]}})
    assert allowed.findings == []


def test_the_model_judges_cm_mh_and_rs_by_their_class_and_sv_by_its_ig_variables():
    cm = dataset("CM", [{"USUBJID": subject(1), "CMTRT": "ASPIRIN", "CMDOSE": "1"}])
    mh = dataset("MH", [{"USUBJID": subject(1), "MHTERM": "RA", "MHEVDTYP": "DIAGNOSIS"}])
    rs = dataset("RS", [{"USUBJID": subject(1), "RSTESTCD": "TIS", "RSORRES": "60",
                         "RSTERM": "?"}])  # fmt: skip
    sv = dataset("SV", [{"USUBJID": subject(1), "VISITNUM": "1", "SVXYZ": "?"}])
    result = check("model_variables", cm, mh, rs, sv)
    assert [(f.domain, f.variables) for f in result.findings] == [
        ("RS", ("RSTERM",)),
        ("SV", ("SVXYZ",)),
    ]


def test_review_edge_cases_end_in_findings_or_not_evaluable_never_in_error():
    dm = make_dm(
        {"USUBJID": subject(1), "RFXSTDTC": "2025-03-10", "RFXENDTC": "2025-03-20"},
        {"USUBJID": subject(2), "RFXSTDTC": "", "RFXENDTC": "2025-03-20"},
    )
    ex = make_ex(
        {"USUBJID": subject(1), "EXSTDTC": "", "EXENDTC": ""},
        {"USUBJID": subject(2), "EXSTDTC": "2025-03-05", "EXENDTC": "2025-03-20x"},
    )
    for date in ("RFXSTDTC", "RFXENDTC"):
        result = check("exposure_reference_dates", dm, ex, params={"date": date})
        assert result.status != "error", result.reason
    ends = check("exposure_reference_dates", dm, ex, params={"date": "RFXENDTC"})
    assert hits(ends) == [] and undecided(ends) == [("DM", 2, subject(2))]  # an invalid EXENDTC
    unknown_year = make_dm(
        {"USUBJID": subject(1), "AGE": "41", "BRTHDTC": "--03-10", "RFSTDTC": "2025-03-05"}
    )
    age = check("age_from_birth", unknown_year)
    assert hits(age) == [] and undecided(age) == [("DM", 1, subject(1))]


def test_numbers_read_from_xpt_compare_with_the_spec_text():
    ae = make_ae({"USUBJID": subject(1), "AESER": "N"})
    ae.frame["AETOXGR"] = [3.0]
    params = {"when": {"AETOXGR": {"equals": "3"}}, "then": {"AESER": {"equals": "Y"}}}
    assert hits(check("conditional_values", ae, params=params)) == [("AE", 1, subject(1))]
