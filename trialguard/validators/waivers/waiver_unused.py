"""A waiver matches a finding of this run.

A waiver that matches nothing was written for a defect that is fixed, or for another record:
either way it should be removed or corrected.  One finding per unused waiver.  Does not run
without --waivers.
"""

from __future__ import annotations

from trialguard.transfer.context import TransferContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.waivers.entries import waiver_hits


@register("waiver_unused", message="waiver {waiver} ({scope}) matches no finding", stage="waivers")
def check_waiver_unused(context: TransferContext, params: NoParams) -> Outcome:
    """A waiver matches a finding of this run."""
    return waiver_hits(context, "unused")
