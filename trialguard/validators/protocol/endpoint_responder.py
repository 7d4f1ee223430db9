"""A recorded responder result agrees with the instrument's threshold at the endpoint visit.

No params: the instruments, visit and baseline come from the spec's `protocol.endpoints`.
Each instrument's responder rule compares a measure with a threshold: the score at the visit
(`value`, e.g. DAS28-ESR < 2.6) or its improvement from baseline (`improvement`: baseline
minus the score, e.g. ClinESSDAI improved by at least 4).  The baseline is the subject's latest
score on or before protocol day `baseline_last_day`.  Findings: a responder record at the visit
whose Y or N is not what the measure gives.  A responder result without a score at the
visit, (for an improvement) without a baseline, with two different scores on the day nearest
the visit, or whose own date cannot place it at the visit, is not evaluable.  The measure is
rounded to six decimals before the comparison (10.2 - 6.2 is 4).
"""

from __future__ import annotations

import operator

import pandas as pd

from trialguard.scalars import rounded
from trialguard.spec.models import Endpoints, Instrument, Visit
from trialguard.validators.context import StudyContext, looked_up
from trialguard.validators.outcome import Hits, Outcome
from trialguard.validators.protocol.endpoint_records import (
    at_visit,
    baseline_values,
    empty_instruments,
    endpoints_of,
    records_by_instrument,
    scores_of,
    tied_subjects,
    unplaced_reasons,
    upper_text,
)
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select
from trialguard.validators.wording import escaped

COMPARE = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}


@register("endpoint_responder", message="responder result {result}: {problem}")
def check_endpoint_responder(context: StudyContext, params: NoParams) -> Outcome:
    """The recorded responder result follows from the score and its threshold."""
    endpoints = endpoints_of(context)
    records = records_by_instrument(context, endpoints)
    results = {
        i.disease: records[i.disease][records[i.disease]["TESTCD"].eq(i.responder.testcd.upper())]
        for i in endpoints.instruments
    }
    lead = "no responder results of any endpoint instrument"
    outcome = Outcome(notes=empty_instruments(endpoints, results, _responder_code, lead))
    for instrument in endpoints.instruments:
        if not results[instrument.disease].empty:
            _judge(context, endpoints, instrument, records[instrument.disease], outcome)
    return outcome


def _responder_code(instrument: Instrument) -> str:
    return f"{instrument.dataset}TESTCD = {instrument.responder.testcd}"


def _judge(
    context: StudyContext,
    endpoints: Endpoints,
    instrument: Instrument,
    records: pd.DataFrame,
    outcome: Outcome,
) -> None:
    rule, visit = instrument.responder, endpoints.visit
    flags = records[records["TESTCD"].eq(rule.testcd.upper()).fillna(False)]
    flags = flags[flags["TEXT"].notna()]
    flag_at, flag_unsure = at_visit(flags, visit)
    flagged = flags.loc[flag_at.to_numpy()]
    m = _measures(records, instrument, endpoints, flagged["USUBJID"])
    meets = COMPARE[rule.operator](m["measure"], rule.threshold) & m["measure"].notna()
    decided = m["measure"].notna() & ~m["tied"]
    answer = upper_text(flagged["TEXT"])
    p = instrument.dataset
    frame = context.frame(p)
    shown = [f"{p}TESTCD", *[c for c in (f"{p}ORRES", f"{p}STRESC", f"{p}DTC") if c in frame]]
    extra = {"result": flags["TEXT"], "score": m["score"]}
    if rule.measure == "improvement":
        extra |= {"baseline": m["baseline"], "improvement": m["measure"]}
    name = instrument.name
    measured = f"{name} improvement from baseline" if rule.measure == "improvement" else name
    meeting = f"{rule.operator} {rule.threshold:g}"

    def hits(mask: pd.Series, problem: str, message: str | None = None) -> Hits:
        found = select(p, frame, mask, shown, extra, problem=problem)
        found.message = message
        return found

    # the measure judged, by placeholder: "the DAS28-ESR 3.09" or "... improvement 5 (12 to 7)"
    valued = f"the {escaped(measured)} {{score}}"
    if rule.measure == "improvement":
        valued = f"the {escaped(measured)} {{improvement}} ({{baseline}} to {{score}})"
    said = "responder result {result}: " + valued
    no_score, scored = m["score"].isna(), m["score"].notna() & ~m["tied"]
    outcome.add(
        hits(answer.eq("N").fillna(False) & meets & decided, f"the {measured} meets the "
             f"threshold ({meeting})", f"{said} meets the threshold ({meeting})"),
        hits(no_score & ~m["unplaced"], f"no {name} score at the {visit.name} visit to judge "
             "it by"),
    )  # fmt: skip
    outcome.add(
        hits(answer.eq("Y").fillna(False) & ~meets & decided, f"the {measured} does not meet "
             f"the threshold ({meeting})", f"{said} does not meet the threshold ({meeting})"),
        hits(scored & m["no_baseline"], f"no baseline {name} score on or before Day "
             f"{endpoints.baseline_last_day}"),
    )  # fmt: skip
    outcome.undecided(
        hits(no_score & m["unplaced"], f"the {name} score's date cannot place it at the "
             f"{visit.name} visit (partial, empty or not ISO 8601)"),
        hits(m["tied"] & m["score"].notna(), f"two {name} scores on the day nearest the visit "
             "differ"),
        hits(scored & m["base_tied"], f"two baseline {name} scores on the latest day differ"),
        *_unplaced(flags.loc[flag_unsure], hits, visit),
    )  # fmt: skip


def _measures(
    records: pd.DataFrame, instrument: Instrument, endpoints: Endpoints, usubjid: pd.Series
) -> pd.DataFrame:
    """Per responder record (`usubjid`): score at the visit, baseline, the measure judged
    (rounded to six decimals), whether the visit's or the baseline's scores tie, whether an
    improvement lacks its baseline, and whether a score exists whose date cannot place it."""
    scores = scores_of(records, instrument.score)
    present, unsure = at_visit(scores, endpoints.visit)
    at_score = scores.loc[present.to_numpy()].set_index("USUBJID")["VALUE"]
    baselines, two_baselines = baseline_values(scores, endpoints.baseline_last_day)
    score = looked_up(usubjid, at_score).astype("float64")
    improvement = instrument.responder.measure == "improvement"
    baseline = looked_up(usubjid, baselines).astype("float64")
    base_tied = usubjid.isin(two_baselines) & improvement
    baseline = baseline.where(~base_tied)
    measure = (baseline - score) if improvement else score
    tied = usubjid.isin(tied_subjects(scores, present))
    unplaced = usubjid.isin(scores.loc[unsure, "USUBJID"])
    no_baseline = improvement & score.notna() & baseline.isna() & ~base_tied
    return pd.DataFrame(
        {"score": score, "baseline": baseline, "measure": rounded(measure, 6), "tied": tied,
         "base_tied": base_tied, "no_baseline": no_baseline, "unplaced": unplaced},
        index=usubjid.index,
    )  # fmt: skip


def _unplaced(flags: pd.DataFrame, hits, visit: Visit) -> list[Hits]:
    """Responder results whose date cannot place them at the visit, one Hits per reason."""
    by_reason = unplaced_reasons(flags, "its date is partial and overlaps the window")
    return [
        hits(pd.Series(flags.index.isin(index), index=flags.index),
             f"cannot tell whether it is the {visit.name} result: {reason}")
        for reason, index in by_reason.items()
    ]  # fmt: skip
