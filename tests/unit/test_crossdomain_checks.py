from conftest import check, dataset, hits, make_ae, make_dl, make_dm, make_ex, subject, undecided


def test_subject_in_dm_flags_orphans_in_every_domain():
    dm = make_dm({"USUBJID": subject(1)})
    ae = make_ae({"USUBJID": subject(1)}, {"USUBJID": subject(9)})
    dl = make_dl({"USUBJID": subject(8), "DLAESEQ": "1"})
    assert hits(check("subject_in_dm", dm, ae, dl)) == [
        ("AE", 2, subject(9)),
        ("DL", 1, subject(8)),
    ]


def test_subject_in_dm_reads_every_subject_dataset_but_not_trial_design():
    dm = make_dm({"USUBJID": subject(1)})
    mh = dataset("MH", [{"USUBJID": subject(1)}, {"USUBJID": subject(7)}])
    supp = dataset("SUPPAE", [{"RDOMAIN": "AE", "USUBJID": subject(6)}])
    ta = dataset("TA", [{"ARMCD": "A"}])  # no USUBJID: not a subject dataset
    assert hits(check("subject_in_dm", dm, mh, supp, ta)) == [
        ("MH", 2, subject(7)),
        ("SUPPAE", 1, subject(6)),
    ]
    alone = check("subject_in_dm", dm, ta)
    assert (alone.status, alone.reason) == ("not_run", "no dataset but DM has USUBJID")


def test_subject_in_dm_needs_dm():
    assert check("subject_in_dm", make_ae({"USUBJID": subject(1)})).reason == "DM not supplied"


def test_start_after_end_is_a_finding_and_partial_dates_are_not_evaluable():
    ae = make_ae(
        {"USUBJID": subject(1), "AESTDTC": "2025-03-12", "AEENDTC": "2025-03-11"},
        {"USUBJID": subject(1), "AESTDTC": "2025-03-12", "AEENDTC": "2025-03-12"},
        {"USUBJID": subject(1), "AESTDTC": "2025-03", "AEENDTC": "2025-03-12"},
        {"USUBJID": subject(1), "AESTDTC": "2025-03-12", "AEENDTC": ""},
    )
    result = check("start_not_after_end", ae)
    assert hits(result) == [("AE", 1, subject(1))]
    assert undecided(result) == [("AE", 3, subject(1))]


def test_study_days_follow_the_no_day_zero_rule():
    dm = make_dm({"USUBJID": subject(1), "RFSTDTC": "2025-03-10"})
    ae = make_ae(
        {"USUBJID": subject(1), "AESTDTC": "2025-03-10", "AESTDY": "1"},
        {"USUBJID": subject(1), "AESTDTC": "2025-03-09", "AESTDY": "-1"},
        {"USUBJID": subject(1), "AESTDTC": "2025-03-11", "AESTDY": "1"},  # counted a day 0
        {"USUBJID": subject(1), "AESTDTC": "2025-03", "AESTDY": "3"},
        {"USUBJID": subject(1), "AESTDTC": "2025-03-12", "AESTDY": ""},
    )
    result = check("study_days", dm, ae)
    # record 4: a study day beside a partial date, which has none
    assert hits(result) == [("AE", 3, subject(1)), ("AE", 4, subject(1)), ("AE", 5, subject(1))]
    assert undecided(result) == []
    by_record = {f.record: f for f in result.findings}
    assert by_record[3].values["expected"] == 2
    assert by_record[4].message == (
        "AESTDY is 3; from AESTDTC '2025-03' and RFSTDTC '2025-03-10' it should be empty (the "
        "date or RFSTDTC is not a complete date)"
    )


def test_study_days_use_each_subjects_reference_date():
    dm = make_dm(
        {"USUBJID": subject(1), "RFSTDTC": "2025-03-10"},
        {"USUBJID": subject(2), "RFSTDTC": "2025-04-01"},
    )
    ex = make_ex({"USUBJID": subject(2), "EXSTDTC": "2025-04-01", "EXSTDY": "1"})
    assert check("study_days", dm, ex).status == "passed"


def test_a_split_dataset_is_checked_with_its_domains_date_pairs():
    dm = make_dm({"USUBJID": subject(1), "RFSTDTC": "2025-03-05"})
    lbch = dataset(
        "LBCH",
        [
            {"USUBJID": subject(1), "LBDTC": "2025-03-06", "LBDY": "2"},
            {"USUBJID": subject(1), "LBDTC": "2025-03-06", "LBDY": "3"},
        ],
    )
    assert hits(check("study_days", dm, lbch)) == [("LBCH", 2, subject(1))]
    cmxx = dataset(
        "CMXX",
        [{"USUBJID": subject(1), "CMSTDTC": "2025-03-12", "CMENDTC": "2025-03-11"}],
    )
    assert hits(check("start_not_after_end", dm, cmxx)) == [("CMXX", 1, subject(1))]
