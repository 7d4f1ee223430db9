"""--DUR, --ELTM and --EVLINT hold ISO 8601 durations (P2D, PT1H30M, P1W, P0.5D); an
elapsed time (--ELTM, --EVLINT) may be negative (-PT15M: before the reference), a
collected duration (--DUR) never.

A finding is a record with another value.  Reference: SDTMIG 3.4 §4.4.3 (durations);
CORE-000305 (--DUR not negative).
"""

from trialguard.validators.conformance.findings import conformance_outcome
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register


@register(
    "iso8601_durations",
    message="{variable} value '{value}' is not an ISO 8601 duration (e.g. P2D, PT1H30M)",
)
def check_iso8601_durations(context: StudyContext, params: NoParams) -> Outcome:
    """Durations are ISO 8601."""
    return conformance_outcome(context, "duration")
