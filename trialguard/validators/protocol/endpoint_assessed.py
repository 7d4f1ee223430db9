"""Each treated subject has its disease's instrument score at the endpoint visit.

No params: the diseases, instruments and visit come from the spec's `protocol.endpoints`.
A subject is judged when it has a Day 0, one protocol disease (`primary_diagnosis` reports the
others), did not leave the study (DS) before the window opens, and its window closed on or
before the data cut-off (TS DCUTDTC, else the latest date in the transfer); the others are
counted in notes.  A score is a record of the score's --TESTCD holding a number.  Findings:
the DM record of a judged subject without a score dated inside the window, naming any other
disease's instrument it has there; and a score record labelled with the visit's name (VISIT)
whose date is outside the window.  A subject whose only candidate scores have a partial date
overlapping the window, or no usable date, is not evaluable: those score records are shown.
"""

from __future__ import annotations

import pandas as pd

from trialguard.spec.models import Endpoints, Instrument, Visit
from trialguard.validators.context import StudyContext, looked_up
from trialguard.validators.outcome import Hits, NotRun, Outcome
from trialguard.validators.protocol.endpoint_records import (
    at_visit,
    data_cutoff,
    empty_instruments,
    endpoints_of,
    records_by_instrument,
    scores_of,
    subject_diseases,
    upper_text,
    withdrawn_before,
)
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select


@register("endpoint_assessed", message="{problem}")
def check_endpoint_assessed(context: StudyContext, params: NoParams) -> Outcome:
    """The disease's instrument is assessed inside the endpoint visit window."""
    endpoints = endpoints_of(context)
    dm = context.require_columns("DM", "USUBJID")
    usubjid = dm["USUBJID"]
    disease = looked_up(usubjid, subject_diseases(context, endpoints))
    treated = ~usubjid.duplicated() & usubjid.isin(context.day0.index)
    if treated.any() and not (treated & disease.notna()).any():
        raise NotRun("no treated subject has one protocol disease in MH (see primary_diagnosis)")
    withdrawn, ds_note = withdrawn_before(context, endpoints.visit.first_day)
    left = treated & disease.notna() & usubjid.isin(withdrawn)
    judged = treated & disease.notna() & ~left
    due, cutoff = _due(context, usubjid, endpoints.visit)
    records = records_by_instrument(context, endpoints)
    outcome = Outcome(notes=empty_instruments(endpoints, records, stop=False))
    scores = {i.disease: scores_of(records[i.disease], i.score) for i in endpoints.instruments}
    not_due = 0
    for instrument in endpoints.instruments:
        present, unsure = at_visit(scores[instrument.disease], endpoints.visit)
        missing = judged & disease.eq(instrument.disease) & ~usubjid.isin(present.index)
        not_due += int((missing & ~due).sum())
        missing &= due
        candidates = scores[instrument.disease].loc[unsure]
        candidates = candidates[candidates["USUBJID"].isin(usubjid[missing])]
        other = _other_instruments(usubjid, scores, endpoints, instrument)
        name = f"{instrument.name} score ({instrument.dataset}TESTCD = {instrument.score})"
        outcome.add(
            select(
                "DM",
                dm,
                missing & ~usubjid.isin(candidates["USUBJID"]),
                ["USUBJID"],
                {"disease": disease, "assessed_instead": other},
                problem=f"no {name} dated {_window_text(endpoints.visit)}",
            )
        )
        outcome.undecided(*_unsure(context, instrument, candidates, endpoints.visit))
        outcome.add(_mislabelled(context, instrument, records[instrument.disease], endpoints))
    outcome.notes += _not_judged(
        endpoints, int((treated & disease.isna()).sum()), int(left.sum()), not_due, cutoff
    )
    outcome.notes += [ds_note] if ds_note else []
    return outcome


def _not_judged(
    endpoints: Endpoints, no_disease: int, left: int, not_due: int, cutoff: str
) -> list[str]:
    """Notes counting the treated subjects the rule did not judge, by reason."""
    visit = endpoints.visit
    reasons = [
        (no_disease, "without one protocol disease (primary_diagnosis reports them)"),
        (left, f"who left the study (DS) before Day {visit.first_day}"),
        (
            not_due,
            f"without a {visit.name} score whose window closes after the data cut-off ({cutoff})",
        ),
    ]
    return [
        f"not judged: {count} treated subject{'s' if count > 1 else ''} {reason}"
        for count, reason in reasons
        if count
    ]


def _due(context: StudyContext, usubjid: pd.Series, visit: Visit) -> tuple[pd.Series, str]:
    """Per record of `usubjid`: whether the subject's visit window closed by the data cut-off;
    and the cut-off in words."""
    cutoff, source = data_cutoff(context)
    if cutoff is None:
        return pd.Series(False, index=usubjid.index), "no date in the transfer"
    day0 = looked_up(usubjid, context.day0).astype("datetime64[s]")
    closes = day0 + pd.Timedelta(days=visit.last_day)
    return (closes <= cutoff).fillna(False), f"{cutoff.date()}, {source}"


def _window_text(visit: Visit) -> str:
    return f"Day {visit.first_day} to Day {visit.last_day} ({visit.name})"


def _unsure(
    context: StudyContext, instrument: Instrument, candidates: pd.DataFrame, visit: Visit
) -> list[Hits]:
    """The score records that may be the subject's assessment, one Hits per reason."""
    p = instrument.dataset
    if candidates.empty:
        return []
    frame = context.frame(p)
    reasons = candidates["UNDATED"].fillna(f"{p}DTC is a partial date overlapping the window")
    return [
        select(
            p,
            frame,
            frame.index.isin(reasons.index[reasons.eq(reason)]),
            [f"{p}TESTCD", f"{p}DTC"],
            problem=f"cannot tell whether this {instrument.name} score falls in "
            f"{_window_text(visit)}: {reason}",
        )
        for reason in reasons.unique()
    ]


def _other_instruments(
    usubjid: pd.Series, scores: dict, endpoints: Endpoints, instrument: Instrument
) -> pd.Series:
    """Per record of `usubjid`: the other instruments it has a score of inside the window."""
    named = pd.Series("", index=usubjid.index, dtype="object")
    for other in endpoints.instruments:
        if other.disease == instrument.disease:
            continue
        present, _ = at_visit(scores[other.disease], endpoints.visit)
        has = usubjid.isin(present.index)
        label = f"{other.name} (the {other.disease} instrument)"
        named = named.where(~has, (named + ", ").where(named != "", "") + label)
    return named.where(named != "", None)


def _mislabelled(context, instrument: Instrument, records: pd.DataFrame, endpoints: Endpoints):
    """Score records whose VISIT is the endpoint visit's name, dated outside its window."""
    visit = endpoints.visit
    records = records[records["TESTCD"].eq(instrument.score.upper()).fillna(False)]
    if "VISIT" not in records.columns:  # a dataset without VISIT, or no dataset
        return select(instrument.dataset, records, pd.Series(False, index=records.index), [])
    frame = context.frame(instrument.dataset)
    named = upper_text(records["VISIT"]).eq(visit.name.upper()).fillna(False)
    outside = (records["HIGH"] < visit.first_day) | (records["LOW"] > visit.last_day)
    p = instrument.dataset
    return select(
        p,
        frame,
        named & outside.fillna(False),
        [f"{p}TESTCD", "VISIT", f"{p}DTC"],
        {"protocol_day": records["LOW"]},
        problem=f"the {visit.name} {instrument.name} score is dated outside "
        f"Day {visit.first_day} to Day {visit.last_day}",
    )
