"""A recorded responder result agrees with the instrument's threshold at the endpoint visit.

No params: the instruments, visit and baseline come from the spec's `protocol.endpoints`.
Each instrument's responder rule compares a measure with a threshold: the score at the visit
(`value`, e.g. DAS28-ESR < 2.6) or its improvement from baseline (`improvement`: baseline
minus the score, e.g. ClinESSDAI improved by at least 4).  The baseline is the subject's latest
score on or before protocol day `baseline_last_day`.  Findings: a responder record at the visit
whose Y or N is not what the measure gives.  A responder result without a score at the
visit, or (for an improvement) without a baseline, is not evaluable.
"""

from __future__ import annotations

import operator

from trialguard.spec.models import Endpoints, Instrument
from trialguard.validators.context import StudyContext, looked_up
from trialguard.validators.outcome import Outcome
from trialguard.validators.protocol.endpoint_records import (
    at_visit,
    baseline_values,
    endpoints_of,
    instrument_records,
    upper_text,
)
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select

COMPARE = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}


@register("endpoint_responder", message="responder result {result}: {problem}")
def check_endpoint_responder(context: StudyContext, params: NoParams) -> Outcome:
    """The recorded responder result follows from the score and its threshold."""
    endpoints = endpoints_of(context)
    outcome = Outcome()
    for instrument in endpoints.instruments:
        _judge(context, endpoints, instrument, outcome)
    return outcome


def _judge(
    context: StudyContext, endpoints: Endpoints, instrument: Instrument, outcome: Outcome
) -> None:
    records = instrument_records(context, instrument)
    if not context.has(instrument.dataset):
        return
    rule = instrument.responder
    scores = records[records["TESTCD"].eq(instrument.score.upper()).fillna(False)]
    flags = records[records["TESTCD"].eq(rule.testcd.upper()).fillna(False)]
    flagged = flags.loc[at_visit(flags, endpoints.visit)[0].to_numpy()]
    at_score = scores.loc[at_visit(scores, endpoints.visit)[0].to_numpy()]
    score = looked_up(flagged["USUBJID"], at_score.set_index("USUBJID")["VALUE"])
    measure = score.astype("float64")
    baseline = looked_up(flagged["USUBJID"], baseline_values(scores, endpoints.baseline_last_day))
    if rule.measure == "improvement":
        measure = baseline.astype("float64") - measure
    meets = COMPARE[rule.operator](measure, rule.threshold) & measure.notna()
    answer = upper_text(flagged["TEXT"])
    p = instrument.dataset
    frame = context.frame(p)
    shown = [f"{p}TESTCD", *[c for c in (f"{p}ORRES", f"{p}STRESC") if c in frame]]
    extra = {"result": flagged["TEXT"], "score": score}
    if rule.measure == "improvement":
        extra |= {"baseline": baseline, "improvement": measure.round(6)}
    name = instrument.name
    measured = f"{name} improvement from baseline" if rule.measure == "improvement" else name
    meeting = f"{rule.operator} {rule.threshold:g}"
    visit = endpoints.visit
    outcome.add(
        select(
            p,
            frame,
            answer.eq("N").fillna(False) & meets,
            shown,
            extra,
            problem=f"the {measured} meets the threshold ({meeting})",
        ),
        select(
            p,
            frame,
            score.isna(),
            shown,
            extra,
            problem=f"no {name} score at the {visit.name} visit to judge it by",
        ),
    )
    outcome.add(
        select(
            p,
            frame,
            answer.eq("Y").fillna(False) & measure.notna() & ~meets,
            shown,
            extra,
            problem=f"the {measured} does not meet the threshold ({meeting})",
        ),
        select(
            p,
            frame,
            score.notna() & measure.isna(),
            shown,
            extra,
            problem=f"no baseline {name} score on or before Day {endpoints.baseline_last_day}",
        ),
    )
