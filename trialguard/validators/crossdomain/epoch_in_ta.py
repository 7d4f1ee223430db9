"""Every EPOCH of the study's datasets is an epoch of TA.

A finding is a record, of any dataset but TA with EPOCH, whose EPOCH is not among TA's
(an empty EPOCH is not judged).  Not run without TA or its EPOCH, or when no other dataset
has EPOCH.  Reference: SDTMIG 3.4 §4.1.3.1 (EPOCH); Pinnacle 21 SD1015; CORE-000271.
"""

from trialguard.validators.context import StudyContext
from trialguard.validators.crossdomain.trial_design import given
from trialguard.validators.outcome import NotRun, Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select
from trialguard.validators.wording import listed


@register("epoch_in_ta", message="EPOCH '{EPOCH}' is no epoch of TA ({epochs})")
def check_epoch_in_ta(context: StudyContext, params: NoParams) -> Outcome:
    """Epochs are epochs of TA."""
    context.supplied("TA")
    epochs = context.require_columns("TA", "EPOCH")["EPOCH"].dropna().unique()
    names = [
        name
        for name, dataset in context.study.datasets.items()
        if name != "TA" and "EPOCH" in dataset.frame.columns
    ]
    if not names:
        raise NotRun("no dataset but TA has EPOCH")
    outcome = Outcome()
    for name in names:
        frame = context.frame(name)
        unknown = given(frame, "EPOCH") & ~frame["EPOCH"].isin(epochs)
        outcome.add(select(name, frame, unknown, ["EPOCH"], epochs=listed(sorted(epochs))))
    return outcome
