"""ISO 8601 --DTC values as SDTM writes them, study days and protocol days, on whole columns.

Accepted forms (SDTMIG 3.4 §4.4): complete or right-truncated date-times in the
extended format (`2025-03-10T14:05:30.125+01:00` down to `2025`), a single
hyphen for each unknown middle component (`2025---10`, `--03-10`,
`2025-03-10T-:05`) and intervals of uncertainty (`2025-03-01/2025-03-10`).
Calendar impossibilities (`2025-02-30`, `2025-13`) are invalid.

Each value becomes an interval [earliest, latest] of the moments it may
denote. Time-zone offsets are validated but not applied: SDTM times are
compared as recorded.

Partial-date policy: a comparison involving a partial date is decided only
when the known part decides it (`2025-03` is before `2025-04-02`); otherwise
the record is "not evaluable", never passed or failed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trialguard.distinct import distinct_text

_PART = r"\d{2}|-"  # a two-digit component, or "-" where it is unknown
ISO8601_POINT = (
    r"^(?P<year>\d{4}|-)"
    rf"(?:-(?P<month>{_PART})"
    rf"(?:-(?P<day>{_PART})"
    rf"(?:T(?P<hour>{_PART})"
    rf"(?::(?P<minute>{_PART})"
    r"(?::(?P<second>\d{2}(?:\.\d+)?|-))?)?"
    r"(?P<tz>Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)?)?)?)?$"
)
ISO8601_DURATION = (
    r"^P(?:\d+(?:\.\d+)?W|(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?)$"
)

_COMPONENTS = ["year", "month", "day", "hour", "minute", "second"]
_LOWEST = {"month": 1, "day": 1, "hour": 0, "minute": 0, "second": 0}
_HIGHEST = {"month": 12, "hour": 23, "minute": 59, "second": 59}
_LIMITS = {"month": (1, 12), "day": (1, 31), "hour": (0, 23), "minute": (0, 59), "second": (0, 59)}
_DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])

VALID, INVALID, MISSING = "valid", "invalid", "missing"


def days_in_month(year: pd.Series, month: pd.Series) -> pd.Series:
    """Days of each month; a month of unknown year gets its longest length (29 for February)."""
    usable = month.where(month.between(1, 12), 1).fillna(1).astype(int)
    base = pd.Series(_DAYS_IN_MONTH[(usable - 1).to_numpy()], index=month.index)
    y = year.fillna(2000).astype(int)  # 2000 is a leap year: unknown year allows 29 February
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    return base + ((month == 2) & leap).astype(int)


def _components(text: pd.Series) -> pd.DataFrame:
    """Split point values into numeric components (NaN where unknown) and a `matched` flag."""
    parts = text.str.extract(ISO8601_POINT)
    numbers = pd.DataFrame(index=text.index)
    for name in _COMPONENTS:
        raw = parts[name].where(parts[name] != "-")
        numbers[name] = pd.to_numeric(raw, errors="coerce").astype("float64")
    numbers["second"] = np.floor(numbers["second"])
    numbers["matched"] = parts["year"].notna() & ~text.str.endswith(("-", ":", "T"))
    return numbers


def _calendar_ok(c: pd.DataFrame) -> pd.Series:
    ok = pd.Series(True, index=c.index)
    for name, (low, high) in _LIMITS.items():
        ok &= c[name].isna() | c[name].between(low, high)
    month_known = c["month"].between(1, 12)
    too_late = month_known & c["day"].notna() & (c["day"] > days_in_month(c["year"], c["month"]))
    return ok & ~too_late


def _bound(c: pd.DataFrame, highest: bool) -> pd.Series:
    """Earliest (or latest) moment a value may denote; NaT when its year is unknown."""
    filled = pd.DataFrame({"year": c["year"]})
    for name in ["month", "hour", "minute", "second"]:
        default = _HIGHEST[name] if highest else _LOWEST[name]
        filled[name] = c[name].fillna(default)
    day_default = days_in_month(c["year"], filled["month"]) if highest else 1
    filled["day"] = c["day"].fillna(day_default)
    return pd.to_datetime(filled[_COMPONENTS], errors="coerce").astype("datetime64[s]")


def _parse_points(text: pd.Series) -> pd.DataFrame:
    c = _components(text)
    valid = c["matched"] & _calendar_ok(c)
    out = pd.DataFrame(index=text.index)
    out["valid"] = valid
    out["earliest"] = _bound(c, highest=False).where(valid)
    out["latest"] = _bound(c, highest=True).where(valid)
    has_date = valid & c[["year", "month", "day"]].notna().all(axis=1)
    out["date"] = out["earliest"].dt.normalize().where(has_date)
    out["has_time"] = has_date & c["hour"].notna()
    return out


def parse_iso8601(values: pd.Series) -> pd.DataFrame:
    """Parse a column of --DTC text.

    Returns, per input row: `status` (valid / invalid / missing), `earliest` and
    `latest` (datetime64[s], NaT when unbounded or invalid), `date` (the calendar
    date when the value names one day, else NaT) and `has_time`.  Each distinct value is
    parsed once: a column of a million dates holds a few thousand different ones.
    """
    codes, distinct = distinct_text(values)
    return parse_distinct(codes, distinct, values.index)


def parse_distinct(codes: np.ndarray, distinct: pd.Series, index: pd.Index) -> pd.DataFrame:
    """`parse_iso8601` of a factorised column (see `trialguard.distinct.distinct_text`)."""
    out = _parse_text(distinct).take(codes)
    out.index = index
    return out


class ParsedTexts:
    """Parses of --DTC texts, each text parsed once however many columns of a study hold it:
    one parse of every date column's distinct values costs what one column's parse did."""

    def __init__(self) -> None:
        self._texts = pd.Index([], dtype="string")
        self._parsed: pd.DataFrame | None = None  # a row per text, and the missing row last

    def add(self, columns: list[pd.Series]) -> None:
        """Parse, in one pass, the texts of these (distinct) values not parsed yet."""
        texts = pd.Index(pd.concat([c.astype("string") for c in columns]).dropna().unique())
        new = texts.difference(self._texts, sort=False) if len(self._texts) else texts
        if len(new) or self._parsed is None:
            self._texts = self._texts.append(new.astype("string"))
            every = pd.Series(self._texts, dtype="string").reindex(range(len(self._texts) + 1))
            self._parsed = _parse_text(every)

    def column(self, codes: np.ndarray, distinct: pd.Series, index: pd.Index) -> pd.DataFrame:
        """`parse_distinct` of a factorised column, from the parses already made."""
        text = distinct.astype("string")
        self.add([text])
        assert self._parsed is not None  # `add` parses the missing row at least
        where = self._texts.get_indexer(pd.Index(text))
        where[text.isna().to_numpy()] = len(self._texts)
        out = self._parsed.take(where).take(codes)
        out.index = index
        return out


def _parse_text(values: pd.Series) -> pd.DataFrame:
    text = values.astype("string").str.strip()
    present = text.notna() & (text != "")
    is_interval = present & text.str.contains("/", regex=False)
    start_text, end_text = _split_interval(text, is_interval)
    start = _parse_points(start_text)
    if is_interval.any():
        end = _parse_points(end_text)
        start_duration = start_text.str.match(ISO8601_DURATION).fillna(False).astype(bool)
        end_duration = end_text.str.match(ISO8601_DURATION).fillna(False).astype(bool)
    else:  # the common case: no interval, nothing more to parse
        end = start.where(is_interval)
        start_duration = end_duration = is_interval

    point_ok = ~is_interval & start["valid"]
    interval_ok = is_interval & (
        (start["valid"] & end["valid"])
        | (start["valid"] & end_duration)
        | (start_duration & end["valid"])
    )
    out = pd.DataFrame(index=values.index)
    out["status"] = np.where(~present, MISSING, np.where(point_ok | interval_ok, VALID, INVALID))
    both_dates = interval_ok & start["valid"] & end["valid"]
    out["earliest"] = start["earliest"].where(point_ok | both_dates)
    out["latest"] = start["latest"].where(point_ok).fillna(end["latest"].where(both_dates))
    out["date"] = start["date"].where(point_ok)
    out["has_time"] = start["has_time"] & point_ok
    return out


def _split_interval(text: pd.Series, is_interval: pd.Series) -> tuple[pd.Series, pd.Series]:
    halves = text.where(is_interval).str.split("/", n=1, expand=True)
    if halves.shape[1] < 2:
        halves = pd.DataFrame({0: pd.Series(pd.NA, index=text.index), 1: pd.NA}, index=text.index)
    start = text.where(~is_interval, halves[0]).astype("string")
    end = halves[1].astype("string").where(is_interval)
    return start, end


def compute_study_day(dates: pd.Series, reference: pd.Series) -> pd.Series:
    """SDTM study day (no day 0): the reference date is day 1, the day before it day -1.

    Both inputs are calendar dates (NaT where not a complete date); the result is
    a nullable integer, missing where either date is missing.
    """
    delta = (dates - reference).dt.days.astype("Int64")
    return delta + (delta >= 0).astype("Int64")


def compute_protocol_day(dates: pd.Series, day0: pd.Series) -> pd.Series:
    """Protocol day: Day 0 is the day of the cell infusion; days before it are negative."""
    return (dates.dt.normalize() - day0).dt.days.astype("Int64")


def compare_not_after(first: pd.DataFrame, second: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Is `first` on or before `second`?  Returns (failed, undetermined) masks.

    Dates are compared by calendar day; times matter only when both values name
    the same single day and both carry a time.  A partial value fails only when
    every moment it may denote is after every moment of the other.
    """
    a_lo, a_hi = first["earliest"].dt.normalize(), first["latest"].dt.normalize()
    b_lo, b_hi = second["earliest"].dt.normalize(), second["latest"].dt.normalize()
    same_day = first["date"].notna() & (first["date"] == second["date"])
    timed = same_day & first["has_time"] & second["has_time"]
    failed = (a_lo > b_hi) | (timed & (first["earliest"] > second["latest"]))
    passed = (a_hi <= b_lo) & ~failed
    undetermined = ~failed & ~passed
    return failed.fillna(False).astype(bool), undetermined.fillna(True).astype(bool)


def classify_in_window(
    day_low: pd.Series, day_high: pd.Series, first_day: int, last_day: int
) -> tuple[pd.Series, pd.Series]:
    """Is a day interval inside [first_day, last_day]?  Returns (outside, undetermined) masks."""
    inside = (day_low >= first_day) & (day_high <= last_day)
    outside = (day_high < first_day) | (day_low > last_day)
    outside = outside.fillna(False).astype(bool)
    inside = inside.fillna(False).astype(bool)
    return outside, ~outside & ~inside
