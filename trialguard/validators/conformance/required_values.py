"""Req variables have a value in every record.

A finding is a record where a Req variable is empty.  Reference: SDTMIG 3.4
§4.1.5 ("Req: null values never allowed").
"""

from trialguard.validators.conformance.findings import conformance_outcome
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register


@register(
    "required_values", message="{variable} is empty; a Req variable needs a value in every record"
)
def check_required_values(context: StudyContext, params: NoParams) -> Outcome:
    """Req variables are never empty."""
    return conformance_outcome(context, "null_value")
