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
    upper_text,
)
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select

COMPARE = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}


@register("endpoint_responder", message="responder result {result}: {problem}")
def check_endpoint_responder(context: StudyContext, params: NoParams) -> Outcome:
    """The recorded responder result follows from the score and its threshold."""
    endpoints = endpoints_of(context)
    records = records_by_instrument(context, endpoints)
    outcome = Outcome(notes=empty_instruments(endpoints, records))
    for instrument in endpoints.instruments:
        if not records[instrument.disease].empty:
            _judge(context, endpoints, instrument, records[instrument.disease], outcome)
    return outcome


def _judge(
    context: StudyContext,
    endpoints: Endpoints,
    instrument: Instrument,
    records: pd.DataFrame,
    outcome: Outcome,
) -> None:
    rule, visit = instrument.responder, endpoints.visit
    scores = scores_of(records, instrument.score)
    flags = records[records["TESTCD"].eq(rule.testcd.upper()).fillna(False)]
    flags = flags[flags["TEXT"].notna()]
    flag_at, flag_unsure = at_visit(flags, visit)
    flagged = flags.loc[flag_at.to_numpy()]
    at_score = scores.loc[at_visit(scores, visit)[0].to_numpy()]
    score = looked_up(flagged["USUBJID"], at_score.set_index("USUBJID")["VALUE"])
    baseline = looked_up(flagged["USUBJID"], baseline_values(scores, endpoints.baseline_last_day))
    measure = score.astype("float64")
    if rule.measure == "improvement":
        measure = baseline.astype("float64") - measure
    measure = measure.round(6)
    tied = flagged["USUBJID"].isin(tied_subjects(scores, visit))
    meets = COMPARE[rule.operator](measure, rule.threshold) & measure.notna()
    answer = upper_text(flagged["TEXT"])
    p = instrument.dataset
    frame = context.frame(p)
    shown = [f"{p}TESTCD", *[c for c in (f"{p}ORRES", f"{p}STRESC", f"{p}DTC") if c in frame]]
    extra = {"result": flags["TEXT"], "score": score}
    if rule.measure == "improvement":
        extra |= {"baseline": baseline, "improvement": measure}
    name = instrument.name
    measured = f"{name} improvement from baseline" if rule.measure == "improvement" else name
    meeting = f"{rule.operator} {rule.threshold:g}"

    def hits(mask: pd.Series, problem: str) -> Hits:
        return select(p, frame, mask, shown, extra, problem=problem)

    outcome.add(
        hits(
            answer.eq("N").fillna(False) & meets & ~tied,
            f"the {measured} meets the threshold ({meeting})",
        ),
        hits(score.isna(), f"no {name} score at the {visit.name} visit to judge it by"),
    )
    outcome.add(
        hits(
            answer.eq("Y").fillna(False) & measure.notna() & ~meets & ~tied,
            f"the {measured} does not meet the threshold ({meeting})",
        ),
        hits(
            score.notna() & measure.isna(),
            f"no baseline {name} score on or before Day {endpoints.baseline_last_day}",
        ),
    )
    outcome.undecided(
        hits(tied & measure.notna(), f"two {name} scores on the day nearest the visit differ"),
        *_unplaced(flags.loc[flag_unsure], hits, visit),
    )


def _unplaced(flags: pd.DataFrame, hits, visit: Visit) -> list[Hits]:
    """Responder results whose date cannot place them at the visit, one Hits per reason."""
    reasons = flags["UNDATED"].fillna("its date is partial and overlaps the window")
    return [
        hits(
            pd.Series(reasons.eq(reason), index=flags.index),
            f"cannot tell whether it is the {visit.name} result: {reason}",
        )
        for reason in reasons.unique()
    ]
