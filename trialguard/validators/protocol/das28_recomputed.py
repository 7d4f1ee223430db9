"""A recorded DAS28-ESR equals the score recomputed from its components.

Params: instrument (the name of the spec's endpoint instrument holding the score, e.g.
DAS28-ESR), components (the --TESTCD of each component: tjc28, sjc28, esr, patient_global),
tolerance (the largest difference accepted, e.g. 0.01 for a score rounded to two decimals).
DAS28-ESR = 0.56·√TJC28 + 0.28·√SJC28 + 0.70·ln(ESR) + 0.014·GH (Prevoo et al., 1995; GH the
patient's global assessment on a 0-100 mm scale).  The components of a score are the records
of the same subject and visit (VISITNUM, or --DTC where the dataset has no VISITNUM); a
record without one is not judged, nor is a score whose visit lacks a component (notes count
both).  A score with a component recorded twice, or with values the formula cannot take (a
negative count, an ESR of 0 or less), is not evaluable.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import BaseModel

from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import NotRun, Outcome
from trialguard.validators.protocol.endpoint_records import (
    endpoints_of,
    instrument_records,
    scores_of,
)
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select


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
    message="{instrument} = {recorded}, from its components {computed}: {problem}",
)
def check_das28_recomputed(context: StudyContext, params: Params) -> Outcome:
    """The recorded DAS28-ESR follows from its components."""
    instrument = next(
        (i for i in endpoints_of(context).instruments if i.name == params.instrument), None
    )
    if instrument is None:
        raise NotRun(f"the spec's endpoints name no instrument {params.instrument}")
    records = instrument_records(context, instrument, dated=False)
    p = instrument.dataset
    if records.empty:
        raise NotRun(f"no records of {p}CAT = {instrument.category} (the {instrument.name})")
    frame = context.frame(p)
    visit = "VISITNUM" if "VISITNUM" in frame.columns else f"{p}DTC"
    records = records.assign(VISITKEY=frame.loc[records.index, visit])
    scores = scores_of(records, instrument.score)
    unpaired = int(scores["VISITKEY"].isna().sum())
    records, scores = records[records["VISITKEY"].notna()], scores[scores["VISITKEY"].notna()]
    values, repeated = _components(records, params.components)
    keys = pd.MultiIndex.from_frame(scores[["USUBJID", "VISITKEY"]])
    parts = values.reindex(keys).set_axis(scores.index)
    computed = das28_esr(parts).round(2)
    complete = parts.notna().all(axis=1)
    twice = pd.Series(keys.isin(repeated), index=scores.index) & complete
    judged = complete & ~twice
    difference = (scores["VALUE"] - computed).abs()
    shown = [f"{p}TESTCD", *[c for c in (f"{p}STRESC", f"{p}STRESN", visit) if c in frame]]
    given = computed.astype("object").where(judged & computed.notna(), "not computed")
    extra = {"recorded": scores["VALUE"], "computed": given} | {
        role: parts[role] for role in parts.columns
    }

    def hits(mask: pd.Series, problem: str):
        return select(p, frame, mask, shown, extra, instrument=instrument.name, problem=problem)

    outcome = Outcome(notes=_not_recomputed(instrument.name, unpaired, visit, ~complete))
    return outcome.add(
        hits(
            judged & (difference > params.tolerance + 1e-9), f"more than {params.tolerance:g} apart"
        ),
        hits(twice, "a component is recorded twice at the visit"),
    ).undecided(
        hits(
            judged & computed.isna(),
            "a component is outside what the formula takes (a "
            "negative joint count, an ESR of 0 or less, a missing global assessment)",
        ),
    )


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
    """The component values per (USUBJID, VISITKEY), one column per role; and the keys where
    a component is recorded more than once."""
    roles = {code.upper(): role for role, code in components.model_dump().items()}
    parts = records[records["TESTCD"].isin(roles)].assign(ROLE=lambda r: r["TESTCD"].map(roles))
    counted = parts.groupby(["USUBJID", "VISITKEY", "ROLE"]).size()
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
