"""Subject timelines on the protocol-day axis, as plain data the HTML report draws.

Each treated subject (one with a Day 0) gets its exposure records, AEs, DLTs
and the days its findings point at, all as protocol days.  A date that is only
partly known becomes the range of days it may denote (`lo` to `hi`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from trialguard.scalars import display_text, plain
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import NotRun

# (dataset, start, end, label, extra columns) per kind of event drawn.
EVENT_SOURCES = {
    "ex": ("EX", "EXSTDTC", "EXENDTC", "EXTRT", ("EXDOSE", "EXDOSU")),
    "ae": ("AE", "AESTDTC", "AEENDTC", "AETERM", ("AETOXGR", "AESER")),
    "dl": ("DL", "DLSTDTC", None, "DLTERM", ("DLTOXGR",)),
}


def build_study_timelines(context: StudyContext) -> dict[str, Any]:
    """The subject timelines of the HTML report; a failure there must not lose the report."""
    try:
        return build_timelines(context)
    except Exception as exc:  # drawn data only: the findings stand without it
        return {"available": False, "reason": f"timelines could not be drawn ({exc!r})"}


def build_timelines(context: StudyContext) -> dict[str, Any]:
    """{"available": False, "reason": ...} or the axis facts and one entry per treated subject."""
    try:
        day0 = context.day0
    except NotRun as reason:
        return {"available": False, "reason": f"no subject timelines: {reason}"}
    if day0.empty:
        return {"available": False, "reason": "no subject timelines: no subject has a Day 0"}
    try:
        return _timelines(context, day0)
    except NotRun as reason:
        return {"available": False, "reason": f"no subject timelines: {reason}"}


def _timelines(context: StudyContext, day0: pd.Series) -> dict[str, Any]:
    subjects = {str(u): _subject(str(u), date, context) for u, date in day0.items()}
    for kind, source in EVENT_SOURCES.items():
        for usubjid, events in _events(context, day0, *source).items():
            subjects[usubjid][kind] = events
    window = context.spec.protocol.dlt_window
    ordered = sorted(subjects.values(), key=lambda s: (s["arm"] or "", s["day0"], s["id"]))
    return {
        "available": True,
        "product": context.day0_treatment,
        "window": None
        if window is None
        else {"first": window.first_day, "last": window.last_day, "assumed": window.assumed},
        "subjects": ordered,
    }


def _subject(usubjid: str, day0: pd.Timestamp, context: StudyContext) -> dict[str, Any]:
    arm = None
    if context.has("DM") and "ACTARMCD" in context.frame("DM").columns:
        subjects = context.subjects
        if usubjid in subjects.index:
            arm = plain(subjects.at[usubjid, "ACTARMCD"])
    return {
        "id": usubjid,
        "arm": arm,
        "day0": day0.date().isoformat(),
        "ex": [],
        "ae": [],
        "dl": [],
    }


def _events(
    context: StudyContext,
    day0: pd.Series,
    name: str,
    start: str,
    end: str | None,
    label: str,
    extra: Sequence[str],
) -> dict[str, list[list[Any]]]:
    """Per USUBJID: [record, label, lo, hi, start text, *extra] for records of treated subjects."""
    if not context.has(name):
        return {}
    frame = context.frame(name)
    if "USUBJID" not in frame.columns or start not in frame.columns:
        return {}
    days = context.protocol_days(name, start)
    treated = days["has_day0"] & days["low"].notna()
    hi = days["high"]
    if end is not None and end in frame.columns:
        end_days = context.protocol_days(name, end)["high"]
        hi = end_days.where(end_days.notna() & (end_days >= days["low"]), hi)
    columns = [frame[label] if label in frame.columns else None]
    columns += [frame[c] if c in frame.columns else None for c in extra]
    rows = frame.index[treated]
    table = zip(
        frame.loc[rows, "USUBJID"],
        rows,
        *[_values(c, rows) for c in columns],
        days.loc[rows, "low"],
        hi.loc[rows],
        frame.loc[rows, start],
        strict=True,
    )
    per_subject: dict[str, list[list[Any]]] = {}
    for usubjid, record, text, *rest in table:
        *extras, lo, high, start_text = rest
        event = [int(record), display_text(plain(text)), int(lo), int(high), plain(start_text)]
        per_subject.setdefault(usubjid, []).append(event + [display_text(plain(v)) for v in extras])
    return per_subject


def _values(column: pd.Series | None, rows: pd.Index) -> Sequence[Any]:
    return [None] * len(rows) if column is None else column.loc[rows].tolist()
