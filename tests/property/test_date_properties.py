"""Property tests of ISO 8601 parsing and study-day arithmetic against Python's datetime.

Each example is a whole column, as the checks use the functions.
"""

from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trialguard.sdtm.dates import compare_not_after, compute_study_day, parse_iso8601

pytestmark = pytest.mark.slow

dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
moments = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31))
# 120 examples a property (new ones each run), within the suite's 10-minute budget on 2 cores
SETTINGS = settings(max_examples=120, deadline=None)


def columns(strategy):
    return st.lists(strategy, min_size=1, max_size=25)


def parse(texts: list[str]) -> pd.DataFrame:
    return parse_iso8601(pd.Series(texts, dtype="string"))


@SETTINGS
@given(columns(st.tuples(moments, st.sampled_from([4, 7, 10, 13, 16, 19]))))
def test_every_truncation_of_a_real_moment_is_valid_and_contains_it(cases):
    parsed = parse([m.isoformat(timespec="seconds")[:n] for m, n in cases])
    assert (parsed["status"] == "valid").all()
    moments_ = pd.Series([pd.Timestamp(m.replace(microsecond=0)) for m, _ in cases]).astype(
        "datetime64[s]"
    )
    assert ((parsed["earliest"] <= moments_) & (moments_ <= parsed["latest"])).all()


def _is_real(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


@SETTINGS
@given(columns(st.tuples(st.integers(1900, 2100), st.integers(1, 12), st.integers(1, 31))))
def test_a_date_is_valid_exactly_when_the_calendar_has_it(triples):
    parsed = parse([f"{y:04d}-{m:02d}-{d:02d}" for y, m, d in triples])
    assert list(parsed["status"] == "valid") == [_is_real(*t) for t in triples]


@SETTINGS
@given(columns(st.tuples(dates, dates)))
def test_study_day_matches_calendar_arithmetic_and_skips_zero(pairs):
    days = compute_study_day(
        parse([w.isoformat() for _, w in pairs])["date"],
        parse([r.isoformat() for r, _ in pairs])["date"],
    )
    expected = [(w - r).days + 1 if w >= r else (w - r).days for r, w in pairs]
    assert list(days) == expected
    assert (days != 0).all()


@SETTINGS
@given(dates, columns(st.integers(-400, 400)))
def test_study_day_inverts_to_the_date(reference, offsets):
    whens = [reference + timedelta(days=o) for o in offsets]
    days = compute_study_day(
        parse([w.isoformat() for w in whens])["date"],
        parse([reference.isoformat()] * len(whens))["date"],
    )
    back = [reference + timedelta(days=int(d) - 1 if d > 0 else int(d)) for d in days]
    assert back == whens


@SETTINGS
@given(columns(st.tuples(dates, dates, st.sampled_from([4, 7, 10]))))
def test_a_partial_start_fails_only_when_every_reading_of_it_is_after_the_end(cases):
    failed, undetermined = compare_not_after(
        parse([s.isoformat()[:n] for s, _, n in cases]), parse([e.isoformat() for _, e, _ in cases])
    )
    for (start, end, length), fail, unsure in zip(cases, failed, undetermined, strict=True):
        if start <= end:
            assert not fail
        if length == 10:
            assert not unsure and fail == (start > end)
