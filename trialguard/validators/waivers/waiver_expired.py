"""A waiver has not expired.

An expired waiver accepts nothing: the findings it named count again.  One finding per expired
waiver, naming its number, scope and expiry.  Expiry is judged on the run date (--timestamp if
given).  Does not run without --waivers.
"""

from __future__ import annotations

from trialguard.transfer.context import TransferContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.waivers.entries import waiver_hits


@register(
    "waiver_expired",
    message="waiver {waiver} ({scope}) expired on {expires}",
    stage="waivers",
)
def check_waiver_expired(context: TransferContext, params: NoParams) -> Outcome:
    """A waiver has not expired."""
    return waiver_hits(context, "expired")
