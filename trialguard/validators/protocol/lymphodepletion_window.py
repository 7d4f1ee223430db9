"""Lymphodepletion starts on protocol Day -5 to -3 and ends before Day 0 (the infusion).

Params: agents (EXTRT names), start_first_day, start_last_day,
end_before_day.  Findings: a subject's first lymphodepletion record starting
outside the window; any lymphodepletion record ending on or after
end_before_day (the end is EXENDTC, or EXSTDTC for a one-day record).
Records of subjects without a Day 0, or with partial dates the window cannot
decide, are not evaluable.
"""

from __future__ import annotations

import pandas as pd

from trialguard.sdtm.dates import classify_in_window
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Hits, Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import day_text, select


class Params(NoParams):
    agents: list[str]
    start_first_day: int
    start_last_day: int
    end_before_day: int = 0


@register(
    "lymphodepletion_window",
    params=Params,
    message="lymphodepletion {problem}: protocol day {protocol_day}, allowed {allowed}",
)
def check_lymphodepletion_window(context: StudyContext, params: Params) -> Outcome:
    """Lymphodepletion is given in its protocol window before Day 0."""
    ex = context.require_columns("EX", "USUBJID", "EXTRT", "EXSTDTC")
    context.day0  # noqa: B018  (raises NotRun without a Day 0 treatment)
    ld = ex["EXTRT"].isin(params.agents)
    outcome = Outcome()
    outcome.add(*_start(context, ex, ld, params))
    ended = _end(context, ex, ld, params)
    outcome.hits += ended.hits
    return outcome.undecided(*ended.undetermined)


def _start(context, ex, ld, params: Params):
    days = context.protocol_days("EX", "EXSTDTC")
    first = _first_records(context, ex, ld)
    outside, undetermined = classify_in_window(
        days["low"], days["high"], params.start_first_day, params.start_last_day
    )
    label = {
        "problem": "starts outside its window",
        "allowed": f"Day {params.start_first_day} to Day {params.start_last_day}",
    }
    extra = {"protocol_day": day_text(days)}
    shown = ["EXTRT", "EXSTDTC"]
    return (
        _dated(ex, first & outside & days["has_day0"], shown, extra, label, "EXSTDTC"),
        _dated(ex, first & (undetermined | ~days["has_day0"]), shown, extra, label, "EXSTDTC"),
    )


def _dated(ex, mask, shown: list[str], extra: dict, label: dict, date: str) -> Hits:
    """The records, their message naming the agent, its date and the date's protocol day."""
    hits = select("EX", ex, mask, shown, extra, **label)
    hits.message = (
        f"lymphodepletion {{problem}}: {{EXTRT}} {date} {{{date}}} is protocol day "
        "{protocol_day}, allowed {allowed}"
    )
    return hits


def _first_records(context, ex, ld) -> pd.Series:
    """The earliest lymphodepletion record of each subject (the start of the regimen)."""
    earliest = context.dates("EX", "EXSTDTC")["earliest"][ld]
    ordered = earliest.sort_values(na_position="last", kind="stable")
    firsts = ex.loc[ordered.index, "USUBJID"].drop_duplicates().index
    return pd.Series(ex.index.isin(firsts), index=ex.index)


def _end(context, ex, ld, params: Params):
    end_column = "EXENDTC" if "EXENDTC" in ex.columns else "EXSTDTC"
    days = context.protocol_days("EX", end_column)
    fallback = context.protocol_days("EX", "EXSTDTC")
    no_end = ex[end_column].isna()
    days = days.where(~no_end, fallback) if end_column != "EXSTDTC" else days
    too_late, undetermined = classify_in_window(
        days["low"], days["high"], -(10**6), params.end_before_day - 1
    )
    label = {"problem": "ends on or after Day 0", "allowed": f"before Day {params.end_before_day}"}
    extra = {"protocol_day": day_text(days)}
    # the end date first: a finding's Day is the protocol day of its first date
    shown = list(dict.fromkeys(["EXTRT", end_column, "EXSTDTC"]))
    outcome = Outcome()
    for dated, date in ((~no_end, end_column), (no_end, "EXSTDTC")):
        chosen = ld & dated & days["has_day0"]
        outcome.add(
            _dated(ex, chosen & too_late, shown, extra, label, date),
            _dated(ex, chosen & undetermined, shown, extra, label, date),
        )
    return outcome
