"""exposure_reference_dates: RFXSTDTC / RFXENDTC are the first / last exposure dates in EX."""

from conftest import check, hits, make_dm, make_ex, subject, undecided


def study():
    dm = make_dm(
        {"USUBJID": subject(1), "RFXSTDTC": "2025-03-01", "RFXENDTC": "2025-03-10"},
        {"USUBJID": subject(2), "RFXSTDTC": "2025-03-02", "RFXENDTC": "2025-03-09"},
        {"USUBJID": subject(3), "RFXSTDTC": "", "RFXENDTC": ""},
        {"USUBJID": subject(4), "RFXSTDTC": "", "RFXENDTC": ""},  # never treated: no EX
        {"USUBJID": subject(5), "RFXSTDTC": "2025-03", "RFXENDTC": "2025-03-10"},
    )
    ex = make_ex(
        {"USUBJID": subject(1), "EXSTDTC": "2025-03-01T09:00", "EXENDTC": "2025-03-01"},
        {"USUBJID": subject(1), "EXSTDTC": "2025-03-10", "EXENDTC": ""},
        {"USUBJID": subject(2), "EXSTDTC": "2025-03-01", "EXENDTC": "2025-03-10"},
        {"USUBJID": subject(3), "EXSTDTC": "2025-03-05", "EXENDTC": "2025-03-05"},
        {"USUBJID": subject(5), "EXSTDTC": "2025-03-04", "EXENDTC": "2025-03-10"},
    )
    return dm, ex


def test_rfxstdtc_is_the_earliest_exstdtc():
    result = check("exposure_reference_dates", *study(), params={"date": "RFXSTDTC"})
    assert hits(result) == [("DM", 2, subject(2)), ("DM", 3, subject(3))]
    assert result.findings[0].values == {"RFXSTDTC": "2025-03-02", "first EXSTDTC": "2025-03-01"}
    assert undecided(result) == [("DM", 5, subject(5))]  # a partial RFXSTDTC


def test_rfxendtc_is_the_latest_end_or_start_where_the_end_is_empty():
    result = check("exposure_reference_dates", *study(), params={"date": "RFXENDTC"})
    assert hits(result) == [("DM", 2, subject(2)), ("DM", 3, subject(3))]
    assert result.findings[0].message == (
        "RFXENDTC '2025-03-09' is not the last exposure date in EX: the last EXENDTC/EXSTDTC is "
        "2025-03-10"
    )


def test_without_ex_it_does_not_run():
    dm, _ = study()
    result = check("exposure_reference_dates", dm)
    assert result.status == "not_run" and "EX not supplied" in result.reason
