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

from dataclasses import dataclass

import pandas as pd

from trialguard.spec.models import Endpoints, Instrument, Visit
from trialguard.validators.context import StudyContext, looked_up
from trialguard.validators.outcome import Hits, NotRun, Outcome
from trialguard.validators.protocol.endpoint_records import (
    at_visit,
    data_cutoff,
    endpoints_of,
    records_by_instrument,
    scores_of,
    subject_diseases,
    treated_subjects,
    unplaced_reasons,
    upper_text,
    withdrawn_before,
)
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select
from trialguard.validators.wording import escaped


@register("endpoint_assessed", message="{problem}")
def check_endpoint_assessed(context: StudyContext, params: NoParams) -> Outcome:
    """The disease's instrument is assessed inside the endpoint visit window."""
    endpoints = endpoints_of(context)
    dm = context.require_columns("DM", "USUBJID")
    usubjid = dm["USUBJID"]
    people = _population(context, endpoints, usubjid)
    due, cutoff = _due(context, usubjid, endpoints.visit)
    records = records_by_instrument(context, endpoints)
    scores = {i.disease: scores_of(records[i.disease], i.score) for i in endpoints.instruments}
    outcome, not_due = Outcome(notes=_without_records(endpoints, records, people, due)), 0
    for instrument in endpoints.instruments:
        present, unsure = at_visit(scores[instrument.disease], endpoints.visit)
        missing = people.judged & people.disease.eq(instrument.disease)
        missing &= ~usubjid.isin(present.index)
        not_due += int((missing & ~due).sum())
        missing &= due
        candidates = scores[instrument.disease].loc[unsure]
        candidates = candidates[candidates["USUBJID"].isin(usubjid[missing])]
        missing &= ~usubjid.isin(candidates["USUBJID"])
        other = _other_instruments(usubjid, scores, endpoints, instrument)
        name = f"{instrument.name} score ({instrument.dataset}TESTCD = {instrument.score})"
        extra = {"disease": people.disease, "assessed_instead": other}
        window = _window_text(endpoints.visit)
        outcome.add(
            select("DM", dm, missing & ~people.perhaps_left, ["USUBJID"], extra,
                   problem=f"no {name} dated {window}"),
            select("DM", dm, missing & people.perhaps_left, ["USUBJID"], extra,
                   problem=f"no {name} dated {window}, and the subject may have left the "
                   "study before it: its DS DSSTDTC is partial, empty or not ISO 8601"),
        )  # fmt: skip
        outcome.undecided(*_unsure(context, instrument, candidates, endpoints.visit))
        outcome.add(_mislabelled(context, instrument, records[instrument.disease], endpoints))
    outcome.notes += people.notes + _not_due(endpoints.visit, not_due, cutoff)
    outcome.notes += [people.ds_note] if people.ds_note else []
    return outcome


@dataclass
class _Population:
    """Per DM record: the subject's disease, whether it is judged, whether it may have left
    the study before the window (a partial DS date); and notes counting those not judged."""

    disease: pd.Series
    judged: pd.Series
    perhaps_left: pd.Series
    notes: list[str]
    ds_note: str | None  # why DS could not tell who left the study


def _population(context: StudyContext, endpoints: Endpoints, usubjid: pd.Series) -> _Population:
    disease = looked_up(usubjid, subject_diseases(context, endpoints))
    first = ~usubjid.duplicated()
    treated = first & usubjid.isin(treated_subjects(context))
    if not (treated & disease.notna()).any():
        raise NotRun("no treated subject has one protocol disease in MH (see primary_diagnosis)")
    withdrawn, perhaps, ds_note = withdrawn_before(context, endpoints.visit.first_day)
    left = treated & disease.notna() & usubjid.isin(withdrawn)
    counts = [
        ((treated & disease.isna()).sum(), "treated subject", "without one protocol disease "
         "(primary_diagnosis reports them)"),
        (left.sum(), "treated subject", "who left the study (DS) before Day "
         f"{endpoints.visit.first_day}"),
        ((first & disease.notna() & ~treated).sum(), "subject", "with a protocol disease but no "
         "Day 0 (not treated, or its infusion date is partial)"),
    ]  # fmt: skip
    notes = [_counted(int(count), who, why) for count, who, why in counts if count]
    judged = treated & disease.notna() & ~left
    return _Population(disease, judged, usubjid.isin(perhaps), notes, ds_note)


def _counted(count: int, who: str, why: str) -> str:
    return f"not judged: {count} {who}{'s' if count > 1 else ''} {why}"


def _not_due(visit: Visit, count: int, cutoff: str) -> list[str]:
    why = f"without a {visit.name} score whose window closes after the data cut-off ({cutoff})"
    return [_counted(count, "treated subject", why)] if count else []


def _without_records(
    endpoints: Endpoints, records: dict[str, pd.DataFrame], people: _Population, due: pd.Series
) -> list[str]:
    """A note for each instrument without records whose disease has judged subjects due: each
    of them is reported missing."""
    notes = []
    for i in endpoints.instruments:
        count = int((people.judged & people.disease.eq(i.disease) & due).sum())
        if records[i.disease].empty and count:
            notes.append(
                f"no records of {i.dataset}CAT = {i.category}: each of the {count} {i.disease} "
                f"subject{'s' if count > 1 else ''} due at {endpoints.visit.name} is reported "
                f"without a {i.name} score"
            )
    return notes


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
    by_reason = unplaced_reasons(candidates, f"{p}DTC is a partial date overlapping the window")
    return [
        select(
            p,
            frame,
            frame.index.isin(index),
            [f"{p}TESTCD", f"{p}DTC"],
            problem=f"cannot tell whether this {instrument.name} score falls in "
            f"{_window_text(visit)}: {reason}",
        )
        for reason, index in by_reason.items()
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
    window = f"Day {visit.first_day} to Day {visit.last_day}"
    found = select(
        p,
        frame,
        named & outside.fillna(False),
        [f"{p}TESTCD", "VISIT", f"{p}DTC"],
        {"protocol_day": records["LOW"]},
        problem=f"the {visit.name} {instrument.name} score is dated outside {window}",
    )
    found.message = (
        f"the {escaped(visit.name)} {escaped(instrument.name)} score dated '{{{p}DTC}}' "
        f"(protocol day {{protocol_day}}) is outside {window}"
    )
    return found
