"""A recorded DAS28-ESR equals the score recomputed from its components.

Params: instrument (the name of the spec's endpoint instrument holding the score, e.g.
DAS28-ESR), components (the --TESTCD of each component: tjc28, sjc28, esr, patient_global),
tolerance (the largest difference accepted, e.g. 0.01 for a score rounded to two decimals).
DAS28-ESR = 0.56·√TJC28 + 0.28·√SJC28 + 0.70·ln(ESR) + 0.014·GH (Prevoo et al., 1995; GH the
patient's global assessment on a 0-100 mm scale).  The components of a score are the records
of the same subject and visit (VISITNUM, or the day of --DTC where VISITNUM is absent); a
record without one is not judged, nor is a score whose visit lacks a component (notes count
both).  A score with a component recorded twice with different values, or with values the
formula cannot take (a negative count, an ESR of 0 or less), is not evaluable.  Records
without a number (NOT DONE) are neither scores nor components.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import BaseModel

from trialguard.scalars import rounded
from trialguard.spec.models import Instrument
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Hits, NotRun, Outcome
from trialguard.validators.protocol.endpoint_records import (
    endpoints_of,
    instrument_records,
    scores_of,
)
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select

UNDECIDED_MESSAGE = "{instrument} = {recorded} is not recomputed: {problem}"


class Components(BaseModel):
    tjc28: str
    sjc28: str
    esr: str
    patient_global: str


class Params(NoParams):
    instrument: str
    components: Components
    tolerance: float = 0.01


@register(
    "das28_recomputed",
    params=Params,
    message="{instrument} = {recorded} but its components give {computed}",
)
def check_das28_recomputed(context: StudyContext, params: Params) -> Outcome:
    """The recorded DAS28-ESR follows from its components."""
    instrument = next(
        (i for i in endpoints_of(context).instruments if i.name == params.instrument), None
    )
    if instrument is None:
        raise NotRun(f"the spec's endpoints name no instrument {params.instrument}")
    records, visit = _visit_records(context, instrument)
    scores = scores_of(records, instrument.score)
    unpaired = int(scores["VISITKEY"].isna().sum())
    records, scores = records[records["VISITKEY"].notna()], scores[scores["VISITKEY"].notna()]
    values, repeated = _components(records, params.components)
    keys = pd.MultiIndex.from_frame(scores[["USUBJID", "VISITKEY"]])
    parts = values.reindex(keys).set_axis(scores.index)
    computed = rounded(das28_esr(parts), 2)
    complete = parts.notna().all(axis=1)
    twice = pd.Series(keys.isin(repeated), index=scores.index) & complete
    judged = complete & ~twice
    difference = (scores["VALUE"] - computed).abs()
    p = instrument.dataset
    frame = context.frame(p)
    shown = [f"{p}TESTCD", *[c for c in (f"{p}STRESC", f"{p}STRESN", visit) if c in frame]]
    extra = {"recorded": scores["VALUE"], "computed": computed.where(judged)} | {
        role: parts[role] for role in parts.columns
    }

    def hits(mask: pd.Series, problem: str, undecided: bool = True) -> Hits:
        found = select(p, frame, mask, shown, extra, instrument=instrument.name, problem=problem)
        found.message = UNDECIDED_MESSAGE if undecided else None
        return found

    apart = f"more than {params.tolerance:g} apart"
    outcome = Outcome(notes=_not_recomputed(instrument.name, unpaired, visit, ~complete))
    return outcome.add(
        hits(judged & (difference > params.tolerance + 1e-9), apart, undecided=False)
    ).undecided(
        hits(twice, "a component is recorded twice at the visit with different values"),
        hits(judged & computed.isna(), "a component is outside what the formula takes (a "
             "negative joint count, an ESR of 0 or less)"),
    )  # fmt: skip


def _visit_records(context: StudyContext, instrument: Instrument) -> tuple[pd.DataFrame, str]:
    """The instrument's records with VISITKEY, the visit that pairs a score with its
    components (VISITNUM, or the date of --DTC where the instrument's records have no
    VISITNUM); and that variable."""
    records = instrument_records(context, instrument, dated=False)
    p = instrument.dataset
    if scores_of(records, instrument.score).empty:
        raise NotRun(
            f"no {instrument.name} scores ({p}CAT = {instrument.category}, {p}TESTCD = "
            f"{instrument.score}, with a number)"
        )
    has_visitnum = "VISITNUM" in records.columns and records["VISITNUM"].notna().any()
    visit = "VISITNUM" if has_visitnum else f"{p}DTC"
    key = context.require_columns(p, visit).loc[records.index, visit]
    if visit != "VISITNUM":  # a score dated with a time pairs with components of its day
        key = key.astype("string").str.strip().str.slice(0, 10).replace("", pd.NA)
    return records.assign(VISITKEY=key), visit


def _not_recomputed(name: str, unpaired: int, visit: str, incomplete: pd.Series) -> list[str]:
    """Notes counting the scores left unjudged: without a visit, or without all components."""
    counts = [
        (unpaired, f"without {visit}, so no components pair with them"),
        (int(incomplete.sum()), "whose visit lacks a component"),
    ]
    return [
        f"not recomputed: {count} {name} score{'s' if count > 1 else ''} {reason}"
        for count, reason in counts
        if count
    ]


def _components(records: pd.DataFrame, components: Components) -> tuple[pd.DataFrame, pd.Index]:
    """The component values per (USUBJID, VISITKEY), one column per role (records without a
    number left out); and the keys where a component has two different values."""
    roles = {code.upper(): role for role, code in components.model_dump().items()}
    parts = records[records["TESTCD"].isin(roles) & records["VALUE"].notna()]
    parts = parts.assign(ROLE=parts["TESTCD"].map(roles))
    counted = parts.groupby(["USUBJID", "VISITKEY", "ROLE"])["VALUE"].nunique()
    repeated = counted[counted > 1].droplevel("ROLE").index.unique()
    first = parts.drop_duplicates(["USUBJID", "VISITKEY", "ROLE"])
    values = first.pivot(index=["USUBJID", "VISITKEY"], columns="ROLE", values="VALUE")
    return values.reindex(columns=list(components.model_dump())), repeated


def das28_esr(parts: pd.DataFrame) -> pd.Series:
    """DAS28-ESR of each row of tjc28, sjc28, esr and patient_global (NaN where undefined)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        tjc, sjc = parts["tjc28"].astype(float), parts["sjc28"].astype(float)
        esr = parts["esr"].astype(float).where(parts["esr"] > 0)
        score = (
            0.56 * np.sqrt(tjc.where(tjc >= 0))
            + 0.28 * np.sqrt(sjc.where(sjc >= 0))
            + 0.70 * np.log(esr)
            + 0.014 * parts["patient_global"].astype(float)
        )
    return pd.Series(score, index=parts.index, dtype="float64")
