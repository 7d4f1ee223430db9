"""Numeric SDTM variables (--SEQ, AGE, EXDOSE, --DY, ...) hold numbers.

A finding is a record whose value of such a variable is text that is not a
number.  CSV values are text until this rule accepts them.  Reference:
SDTMIG 3.4 variable metadata (Type Num).
"""

from trialguard.validators.conformance.findings import conformance_outcome
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register


@register("numeric_values", message="{variable} value '{value}' is not a number")
def check_numeric_values(context: StudyContext, params: NoParams) -> Outcome:
    """Numeric variables hold numbers."""
    return conformance_outcome(context, "numeric")
