"""Each treated subject has its disease's instrument score at the endpoint visit.

No params: the diseases, instruments and visit come from the spec's `protocol.endpoints`.
A subject is judged when it has a Day 0, one protocol disease (`primary_diagnosis` reports the
others) and its visit window closed on or before the data cut-off (TS DCUTDTC, else the
latest date in the transfer); the others are counted in a note.  Findings: the DM record of a
judged subject without the score dated inside the window (a score with a partial date that
may fall inside is not evaluable), naming any other disease's instrument it has there; and a
score record labelled with the visit's name (VISIT) whose date is outside the window.
"""

from __future__ import annotations

import pandas as pd

from trialguard.spec.models import Endpoints, Instrument, Visit
from trialguard.validators.context import StudyContext, looked_up
from trialguard.validators.outcome import Outcome
from trialguard.validators.protocol.endpoint_records import (
    at_visit,
    data_cutoff,
    endpoints_of,
    instrument_records,
    subject_diseases,
    upper_text,
)
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select


@register("endpoint_assessed", message="{problem}")
def check_endpoint_assessed(context: StudyContext, params: NoParams) -> Outcome:
    """The disease's instrument is assessed inside the endpoint visit window."""
    endpoints = endpoints_of(context)
    dm = context.require_columns("DM", "USUBJID")
    disease = looked_up(dm["USUBJID"], subject_diseases(context, endpoints))
    judged = ~dm["USUBJID"].duplicated() & disease.notna() & dm["USUBJID"].isin(context.day0.index)
    due, cutoff = _due(context, dm["USUBJID"], endpoints.visit)
    scores = {i.disease: _scores(context, i) for i in endpoints.instruments}
    outcome, not_due = Outcome(), 0
    for instrument in endpoints.instruments:
        present, possible = at_visit(scores[instrument.disease], endpoints.visit)
        missing = judged & disease.eq(instrument.disease) & ~dm["USUBJID"].isin(present.index)
        not_due += int((missing & ~due).sum())
        missing &= due
        partial = dm["USUBJID"].isin(possible)
        other = _other_instruments(dm["USUBJID"], scores, endpoints, instrument)
        name = f"{instrument.name} score ({instrument.dataset}TESTCD = {instrument.score})"
        window = _window_text(endpoints.visit)
        extra = {"disease": disease, "assessed_instead": other}
        outcome.add(
            select(
                "DM",
                dm,
                missing & ~partial,
                ["USUBJID"],
                extra,
                problem=f"no {name} dated {window}",
            ),
            select(
                "DM",
                dm,
                missing & partial,
                ["USUBJID"],
                extra,
                problem=f"the {name} may not be dated {window}: its date is partial",
            ),
        )
        outcome.add(_mislabelled(context, instrument, scores[instrument.disease], endpoints))
    if not_due:
        outcome.notes.append(
            f"not judged: {not_due} treated subject{'s' if not_due > 1 else ''} without a "
            f"{endpoints.visit.name} score whose window closes after the data cut-off ({cutoff})"
        )
    return outcome


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


def _scores(context: StudyContext, instrument: Instrument) -> pd.DataFrame:
    records = instrument_records(context, instrument)
    return records[records["TESTCD"].eq(instrument.score.upper()).fillna(False)]


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
