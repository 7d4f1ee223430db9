"""Subject timelines on the protocol-day axis, as plain data the HTML report draws.

Each treated subject (one with a Day 0) gets its exposure records, AEs, DLTs
and the days its findings point at, all as protocol days.  A date that is only
partly known becomes the range of days it may denote (`lo` to `hi`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from trialguard.scalars import display_text, plain_values
from trialguard.validators.context import StudyContext, looked_up
from trialguard.validators.outcome import NotRun

# (dataset, start, end, label, extra columns) per kind of event drawn.
EVENT_SOURCES = {
    "ex": ("EX", "EXSTDTC", "EXENDTC", "EXTRT", ("EXDOSE", "EXDOSU")),
    "ae": ("AE", "AESTDTC", "AEENDTC", "AETERM", ("AETOXGR", "AESER")),
    "dl": ("DL", "DLSTDTC", None, "DLTERM", ("DLTOXGR",)),
}


def build_timelines(context: StudyContext) -> dict[str, Any]:
    """{"available": False, "reason": ...} or the axis facts and one entry per treated subject.

    Built only when the HTML report is written (`Report.timelines`); a fault here is a fault of
    the report, never hidden."""
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
    arms = _arms(context, day0.index)
    subjects = {
        str(u): {
            "id": str(u),
            "arm": arm,
            "day0": day.date().isoformat(),
            "ex": [],
            "ae": [],
            "dl": [],
        }
        for u, day, arm in zip(day0.index, day0, arms, strict=True)
    }
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


def _arms(context: StudyContext, usubjids: pd.Index) -> list[Any]:
    """DM.ACTARMCD of each subject (None without DM, the variable or the subject)."""
    if not context.has("DM") or "ACTARMCD" not in context.frame("DM").columns:
        return [None] * len(usubjids)
    arms = context.subjects["ACTARMCD"]
    return plain_values(looked_up(pd.Series(usubjids, index=usubjids), arms))


def _events(
    context: StudyContext,
    day0: pd.Series,
    name: str,
    start: str,
    end: str | None,
    label: str,
    extra: Sequence[str],
) -> dict[str, list[list[Any]]]:
    """Per USUBJID: [record, label, lo, hi, start text, *extra] for records of treated subjects,
    in record order."""
    if not context.has(name):
        return {}
    frame = context.frame(name)
    if "USUBJID" not in frame.columns or start not in frame.columns:
        return {}
    days = context.protocol_days(name, start)
    treated = (days["has_day0"] & days["low"].notna()).to_numpy()
    hi = days["high"]
    if end is not None and end in frame.columns:
        end_days = context.protocol_days(name, end)["high"]
        hi = end_days.where(end_days.notna() & (end_days >= days["low"]), hi)
    rows = frame[treated]
    columns = [
        rows.index.tolist(),
        _shown(rows, label),
        days["low"][treated].astype(int).tolist(),
        hi[treated].astype(int).tolist(),
        plain_values(rows[start]),
        *[_shown(rows, c) for c in extra],
    ]
    events = [list(event) for event in zip(*columns, strict=True)]
    positions = pd.Series(range(len(rows))).groupby(rows["USUBJID"].to_numpy(), sort=False)
    return {str(u): [events[i] for i in at] for u, at in positions.indices.items()}


def _shown(rows: pd.DataFrame, column: str) -> list[Any]:
    """A column's values as the timeline draws them (None where the dataset lacks it)."""
    if column not in rows.columns:
        return [None] * len(rows)
    return [display_text(v) for v in plain_values(rows[column])]
