"""A start date is not after its end date: --STDTC and --ENDTC (EX, AE); in DM RFSTDTC and
RFENDTC, RFXSTDTC and RFXENDTC, RFCSTDTC and RFCENDTC, BRTHDTC before RFSTDTC, informed
consent (RFICDTC) before the first study treatment (RFXSTDTC).

Dates are compared by calendar day, and by time when both carry one on the
same day.  A partial date is compared only where its known part decides the
answer; otherwise the record is not evaluable.  A split dataset (LBCH) is checked with its
domain's pairs.  A finding is a record whose
start is after its end.  Reference: SDTMIG 3.4 §4.4.
"""

from trialguard.sdtm.dates import VALID, compare_not_after
from trialguard.sdtm.naming import domain_code
from trialguard.validators.conformance.domains import START_END_PAIRS
from trialguard.validators.context import StudyContext
from trialguard.validators.crossdomain.trial_design import worded
from trialguard.validators.outcome import NotRun, Outcome
from trialguard.validators.registry import NoParams, register

AFTER = "{0} '{{{0}}}' is after {1} '{{{1}}}'"
UNCLEAR = "{0} '{{{0}}}' may be after {1} '{{{1}}}': a partial date leaves it open"


@register("start_not_after_end", message="{start} is after {end}")
def check_start_not_after_end(context: StudyContext, params: NoParams) -> Outcome:
    """Start dates are not after end dates."""
    pairs = [
        (name, pair)
        for name in context.study.datasets
        for pair in START_END_PAIRS.get(domain_code(name), ())
        if set(pair) <= set(context.frame(name).columns)
    ]
    if not pairs:
        raise NotRun("no dataset with both dates of a start/end pair")
    outcome = Outcome()
    for name, (start, end) in pairs:
        frame = context.frame(name)
        first, second = context.dates(name, start), context.dates(name, end)
        failed, undetermined = compare_not_after(first, second)
        both = (first["status"] == VALID) & (second["status"] == VALID)
        labels = {"start": start, "end": end}
        shown, after, unclear = [start, end], AFTER.format(start, end), UNCLEAR.format(start, end)
        outcome.add(
            worded(name, frame, failed & both, shown, after, **labels),
            worded(name, frame, undetermined & both, shown, unclear, **labels),
        )
    return outcome
