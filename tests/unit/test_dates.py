import pandas as pd
import pytest

from trialguard.sdtm.dates import (
    compare_not_after,
    compute_protocol_day,
    compute_study_day,
    parse_iso8601,
)

VALID = [
    "2025-03-10",
    "2025-03",
    "2025",
    "2025-03-10T14:05",
    "2025-03-10T14:05:30.125",
    "2025-03-10T14:05:30+01:00",
    "2025-03-10T14:05Z",
    "2025---10",
    "--03-10",
    "2025-03-10T-:05",
    "-----T14:05",
    "2024-02-29",
    "2025-03-01/2025-03-10",
    "2025-03-10/P3D",
]
INVALID = [
    "2025-02-30",
    "2023-02-29",
    "2025-13",
    "2025-00-10",
    "20250310",
    "2025-1-2",
    "01/02/2025",
    "2025-03-10T",
    "2025-03-10T24:00",
    "2025-03-10 14:00",
    "UNK",
    "45678",
    "2025-03-10T14:60",
    "2025-04-31",
]


@pytest.mark.parametrize("text", VALID)
def test_valid_forms_are_accepted(text):
    assert parse_iso8601(pd.Series([text]))["status"].iloc[0] == "valid"


@pytest.mark.parametrize("text", INVALID)
def test_invalid_forms_are_rejected(text):
    assert parse_iso8601(pd.Series([text]))["status"].iloc[0] == "invalid"


def test_missing_is_neither_valid_nor_invalid():
    assert list(parse_iso8601(pd.Series([None, "", "  "]))["status"]) == ["missing"] * 3


def test_partial_date_spans_its_period():
    parsed = parse_iso8601(pd.Series(["2024-02"])).iloc[0]
    assert parsed["earliest"] == pd.Timestamp("2024-02-01")
    assert parsed["latest"] == pd.Timestamp("2024-02-29 23:59:59")
    assert pd.isna(parsed["date"])


def _dates(*texts):
    return parse_iso8601(pd.Series(texts))["date"]


@pytest.mark.parametrize(
    "reference, date, expected",
    [  # shared/reference/sdtm-essentials.md §2.4
        ("2025-03-10", "2025-03-10", 1),
        ("2025-03-10", "2025-03-09", -1),
        ("2025-03-10", "2025-04-07", 29),
        ("2025-03-05", "2025-03-10", 6),
        ("2024-02-28", "2024-03-01", 3),
        ("2024-02-28", "2024-02-27", -1),
        ("2025-01-01", "2024-12-31", -1),
        ("2025-03-10T09:00", "2025-03-10T23:50", 1),
    ],
)
def test_study_day_has_no_day_zero(reference, date, expected):
    assert compute_study_day(_dates(date), _dates(reference)).iloc[0] == expected


def test_study_day_is_missing_for_partial_dates():
    assert pd.isna(compute_study_day(_dates("2025-03"), _dates("2025-03-10")).iloc[0])


def test_protocol_day_counts_from_day_zero():
    days = compute_protocol_day(
        _dates("2025-03-05", "2025-03-10", "2025-04-07"), _dates(*["2025-03-10"] * 3)
    )
    assert list(days) == [-5, 0, 28]


@pytest.mark.parametrize(
    "start, end, outcome",
    [
        ("2025-03-10", "2025-03-10", "pass"),
        ("2025-03-11", "2025-03-10", "fail"),
        ("2025-03-10T14:00", "2025-03-10T09:00", "fail"),
        ("2025-03-10T14:00", "2025-03-10", "pass"),
        ("2025-03", "2025-04-02", "pass"),
        ("2025-03", "2025-03-15", "undetermined"),
        ("2025-04", "2025-03-15", "fail"),
        ("--03-10", "2025-03-15", "undetermined"),
    ],
)
def test_start_end_comparison_decides_only_what_the_known_part_decides(start, end, outcome):
    failed, undetermined = compare_not_after(
        parse_iso8601(pd.Series([start])), parse_iso8601(pd.Series([end]))
    )
    got = "fail" if failed.iloc[0] else "undetermined" if undetermined.iloc[0] else "pass"
    assert got == outcome
