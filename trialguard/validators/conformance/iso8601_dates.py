"""--DTC variables hold ISO 8601 date/times: complete, right-truncated, with '-' for
unknown middle parts, or intervals; calendar-impossible dates such as 2025-02-30
are invalid.

A finding is a record with such a value.  Reference: SDTMIG 3.4 §4.4.1-4.4.3.
"""

from trialguard.validators.conformance.findings import conformance_outcome
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register


@register("iso8601_dates", message="{variable} value '{value}' is not a valid ISO 8601 date/time")
def check_iso8601_dates(context: StudyContext, params: NoParams) -> Outcome:
    """Dates are valid ISO 8601."""
    return conformance_outcome(context, "iso8601")
