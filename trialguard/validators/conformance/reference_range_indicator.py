"""The reference range indicator (--NRIND) agrees with the standard result and range: LOW only
below --STNRLO, HIGH only above --STNRHI, NORMAL only within the range.

No params.  The result and limits are compared as numbers (--STRESN, --STNRLO, --STNRHI); a
record without a numeric result, or without the limit a value speaks of, is left alone, and so
are ABNORMAL and values other than LOW, HIGH and NORMAL (a range in original units only, or
one the result is judged against by other criteria).  An indicator that agrees with the
result in original units and its range (--ORRES, --ORNRLO, --ORNRHI, where numbers) stands: a
result at a limit in original units (calcium 8.4 mg/dL, range 8.4 to 10.3) may fall just
outside the rounded limit in standard units (2.0958 mmol/L, range 2.1 to 2.57).  A finding is a
record whose --NRIND says the opposite of what its numbers show in both units.  Not run when
no dataset has --NRIND, --STRESN and a standard limit.  Reference: SDTMIG 3.4 Findings
(--NRIND: the result's place relative to the reference range); CDISC CT NRIND.
"""

from __future__ import annotations

import pandas as pd

from trialguard.sdtm.naming import variable_prefix
from trialguard.validators.conformance.findings import supplied_datasets
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import NotApplicable, Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select
from trialguard.validators.wording import value_of


@register(
    "reference_range_indicator",
    message="{indicator} does not agree with {result} and the range {low} to {high}",
)
def check_reference_range_indicator(context: StudyContext, params: NoParams) -> Outcome:
    """The reference range indicator agrees with the result and the range."""
    outcome, checked = Outcome(), 0
    for name in supplied_datasets(context):
        p = variable_prefix(name)
        names = {"indicator": f"{p}NRIND", "result": f"{p}STRESN"}
        names |= {"low": f"{p}STNRLO", "high": f"{p}STNRHI"}
        frame = context.frame(name)
        if not {names["indicator"], names["result"]} <= set(frame.columns):
            continue
        if names["low"] not in frame.columns and names["high"] not in frame.columns:
            continue
        checked += 1
        wrong = _disagreeing(context, name, names)
        hits = select(name, frame, wrong, list(names.values()), None, **names)
        hits.message = _message(frame, names)
        outcome.add(hits)
    if not checked:
        raise NotApplicable("no dataset has --NRIND, --STRESN and a standard range limit")
    return outcome


def _message(frame: pd.DataFrame, names: dict[str, str]) -> str:
    """The record's indicator, result and limits (a limit the dataset lacks: "none")."""

    def shown(role: str) -> str:
        column = names[role]
        return value_of(frame, column) if column in frame.columns else "none"

    return (
        f"{names['indicator']} {shown('indicator')} does not agree with {names['result']} "
        f"{shown('result')} and the range {shown('low')} to {shown('high')}"
    )


def _disagreeing(context: StudyContext, name: str, names: dict[str, str]) -> pd.Series:
    frame = context.frame(name)
    said = frame[names["indicator"]].astype("string").str.strip().str.upper()
    standard = [context.numbers(name, names["result"])]
    standard += [_limit(context, name, names[side]) for side in ("low", "high")]
    p = variable_prefix(name)
    original = [_limit(context, name, f"{p}{v}") for v in ("ORRES", "ORNRLO", "ORNRHI")]
    return _contradicts(said, *standard) & ~_agrees(said, *original)


def _agrees(said: pd.Series, result: pd.Series, low: pd.Series, high: pd.Series) -> pd.Series:
    within = (result >= low) | (low.isna() & high.notna())
    within &= ((result <= high) | (high.isna() & low.notna())) & result.notna()
    return (
        (
            ((said == "LOW") & (result < low))
            | ((said == "HIGH") & (result > high))
            | ((said == "NORMAL") & within)
        )
        .fillna(False)
        .astype(bool)
    )


def _contradicts(said: pd.Series, result: pd.Series, low: pd.Series, high: pd.Series) -> pd.Series:
    below = (result < low).fillna(False).astype(bool)
    above = (result > high).fillna(False).astype(bool)
    not_below = (result >= low).fillna(False).astype(bool)
    not_above = (result <= high).fillna(False).astype(bool)
    return (
        (
            ((said == "LOW") & not_below)
            | ((said == "HIGH") & not_above)
            | ((said == "NORMAL") & (below | above))
        )
        .fillna(False)
        .astype(bool)
    )


def _limit(context: StudyContext, name: str, column: str) -> pd.Series:
    frame = context.frame(name)
    if column not in frame.columns:
        return pd.Series(float("nan"), index=frame.index)
    return context.numbers(name, column)
