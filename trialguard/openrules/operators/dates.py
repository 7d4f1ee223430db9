"""Date operators: the six date comparisons, complete / incomplete dates, invalid dates and
durations, as CORE decides them.

Each distinct value of a column is parsed once and the answer mapped back to the records.

Comparisons follow the CORE behaviour the published test cases confirm (the older one): a
partial date is filled with defaults (month and day 1, time 00:00) and compared as a full
moment, so `2018-11-06T12:00` is after `2018-11-06` and `2018-04-17` after `2018-04`;
surrounding whitespace is ignored; a time zone offset moves the moment to UTC; an interval
compares by its start.  A value that is not an SDTM ISO 8601 date (or not a calendar date,
`2020-02-30`), and a missing value, make every comparison false, `date_not_equal_to`
included.  `date_component` (year ... microsecond) compares that component only.
"""

from __future__ import annotations

import operator as op
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
from dateutil.parser import isoparse

from trialguard.openrules.frame import RuleFrame
from trialguard.openrules.operators.registry import Item, complement, operator


def _time(p: str) -> str:
    return (
        rf"T(?P<{p}hour>2[0-3]|[01][0-9]|-)(:((?P<{p}minute>[0-5][0-9]|-))"
        rf"(:((?P<{p}second>[0-5][0-9]|-))?(\.(?P<{p}fraction>[0-9]+))?)?)?"
        rf"(?P<{p}zone>Z|[+-](2[0-3]|[01][0-9]):[0-5][0-9])?"
    )


def _point(p: str) -> str:
    return (
        rf"(?P<{p}year>-?[0-9]{{4}}|-)(-{{1,2}}(?P<{p}month>1[0-2]|0[1-9]|-))?"
        rf"(-{{1,2}}(?P<{p}day>3[01]|0[1-9]|[12][0-9]|-))?({_time(p)})?"
    )


# CORE's SDTM ISO 8601 pattern: a point, an interval of two, or a time with no date.
SDTM_DATE = re.compile(rf"^({_point('')}(/{_point('end_')})?|-{{4,8}}{_time('only_')})$")
_UNCERTAIN = ("/", "--", "-:")
_COMPONENTS = ("year", "month", "day", "hour", "minute", "second", "microsecond")
_DEFAULTS = (1970, 1, 1, 0, 0, 0)

_DURATION = (
    r"P(?!$)(?:(?:(\d+(?:[.,]\d*)?Y)?[,]?(\d+(?:[.,]\d*)?M)?[,]?"
    r"(\d+(?:[.,]\d*)?D)?[,]?(T(?=\d)(?:(\d+(?:[.,]\d*)?H)?[,]?"
    r"(\d+(?:[.,]\d*)?M)?[,]?(\d+(?:[.,]\d*)?S)?)?)?)|(\d+(?:[.,]\d*)?W))$"
)
DURATION = re.compile("^" + _DURATION)
SIGNED_DURATION = re.compile("^[-]?" + _DURATION)


def per_distinct(column: pd.Series, function: Callable[[Any], Any], missing: Any) -> np.ndarray:
    """`function` of each distinct value of `column` (`missing` for a missing one), by row."""
    codes, answers = _distinct_answers(column, function, missing)
    return np.asarray(answers, dtype=object)[codes]


def _distinct_answers(
    column: pd.Series, function: Callable[[Any], Any], missing: Any
) -> tuple[np.ndarray, list[Any]]:
    """Codes of the rows' values (-1 when missing), and the answer per code (missing's last)."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    return codes, [function(value) for value in uniques] + [missing]


# ---- the moment a value denotes, for comparisons --------------------------------------------


def moment(value: Any) -> datetime | None:
    """The UTC moment of an SDTM date (missing parts filled by defaults), None if none."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    found = SDTM_DATE.match(text)
    if found is None or not valid(text):
        return None
    parts = found.groupdict()
    uncertain = any(mark in text for mark in _UNCERTAIN)  # CORE reads these zone-less
    return _filled(parts, zone=None if uncertain else parts.get("zone"))


def _filled(parts: dict[str, str | None], zone: str | None) -> datetime | None:
    """A moment from the pattern's groups: an interval's start, a time-only value's time."""
    names = ("year", "month", "day", "hour", "minute", "second")
    numbers = []
    for name, default in zip(names, _DEFAULTS, strict=True):
        raw = parts.get(name) or parts.get("end_" + name) or parts.get("only_" + name)
        numbers.append(int(raw) if raw and raw != "-" else default)
    fraction = parts.get("fraction") or parts.get("end_fraction") or parts.get("only_fraction")
    micro = int((fraction + "000000")[:6]) if fraction else 0
    try:
        year, month, day, hour, minute, second = numbers
        when = datetime(year, month, day, hour, minute, second, micro)
    except ValueError:  # not a calendar date (2020-02-30), or a year before 1
        return None
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        when -= sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
    return when


def moments(column: pd.Series) -> pd.Series:
    """Each value's moment (NaT where it has none), parsing each distinct value once."""
    if pd.api.types.is_numeric_dtype(column.dtype):
        return pd.Series(pd.NaT, index=column.index, dtype="datetime64[us]")
    codes, found = _distinct_answers(column, moment, None)
    distinct = pd.Series(found, dtype="datetime64[us]").to_numpy()
    return pd.Series(distinct[codes], index=column.index)


def _comparator_moments(frame: RuleFrame, item: Item) -> pd.Series:
    value = item.get("value")
    if not item.get("value_is_literal") and isinstance(value, str) and frame.has(value):
        return moments(frame.column(value))
    when = moment(frame.name(value) if value is not None else None)
    return pd.Series(when, index=frame.index, dtype="datetime64[us]")


def _part(when: pd.Series, component: Any) -> pd.Series:
    if component in _COMPONENTS:
        return getattr(when.dt, str(component)).astype("float64")
    return when


def _date_comparison(compare: Callable[[Any, Any], Any]) -> Callable[[RuleFrame, Item], Any]:
    def check(frame: RuleFrame, item: Item) -> pd.Series:
        target = moments(frame.column(item["name"]))
        other = _comparator_moments(frame, item)
        known = target.notna() & other.notna()
        component = item.get("date_component")
        result = compare(_part(target, component), _part(other, component))
        return pd.Series(np.asarray(result, dtype=bool), index=frame.index) & known

    return check


for _name, _compare in {
    "date_equal_to": op.eq,
    "date_not_equal_to": op.ne,
    "date_greater_than": op.gt,
    "date_greater_than_or_equal_to": op.ge,
    "date_less_than": op.lt,
    "date_less_than_or_equal_to": op.le,
}.items():
    operator(_name)(_date_comparison(_compare))


# ---- completeness and validity --------------------------------------------------------------


def complete(value: Any) -> bool:
    """CORE's complete date: what Python's `datetime.fromisoformat` reads (a full date, with
    a time of any precision or none)."""
    if not isinstance(value, str):
        return False
    for text in (value, value.replace("Z", "+00:00")):
        try:
            datetime.fromisoformat(text)
        except ValueError:
            continue
        return True
    return False


def valid(value: Any) -> bool:
    """CORE's valid date: an SDTM ISO 8601 value that is a calendar date when fully known."""
    if not isinstance(value, str):
        return False
    try:
        isoparse(value)
    except (ValueError, OverflowError):
        if not any(mark in value for mark in _UNCERTAIN):
            return False
    return SDTM_DATE.match(value) is not None


def _duration_ok(value: Any, signed: bool) -> bool:
    found = (SIGNED_DURATION if signed else DURATION).match(str(value))
    if found is None:
        return False
    years, months, days, time, hours, minutes, seconds, weeks = found.groups()
    if time and not any([hours, minutes, seconds]):
        return False
    present = [c for c in (years, months, weeks, days, hours, minutes, seconds) if c]
    decimals = [i for i, c in enumerate(present) if "." in c or "," in c]
    return not decimals or decimals == [len(present) - 1]


def _flags(frame: RuleFrame, item: Item, test: Callable[[Any], bool], missing: bool) -> Any:
    column = frame.column(item["name"])
    found = per_distinct(column, test, missing)
    return pd.Series(found.astype(bool), index=frame.index)


@operator("is_complete_date")
def is_complete_date(frame: RuleFrame, item: Item) -> pd.Series:
    return _flags(frame, item, complete, missing=False)


complement("is_incomplete_date", "is_complete_date")


@operator("invalid_date")
def invalid_date(frame: RuleFrame, item: Item) -> pd.Series:
    return _flags(frame, item, lambda value: not valid(value), missing=True)


@operator("invalid_duration")
def invalid_duration(frame: RuleFrame, item: Item) -> pd.Series:
    signed = item.get("negative") is not False
    return _flags(frame, item, lambda value: not _duration_ok(value, signed), missing=True)


__all__ = ["SDTM_DATE", "complete", "moment", "moments", "per_distinct", "valid"]
