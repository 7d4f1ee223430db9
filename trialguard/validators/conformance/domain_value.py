"""DOMAIN holds the dataset's domain code (DM, EX, AE, and DL for the DLT dataset).

A finding is a record with another value.  Reference: SDTMIG 3.4 §4.1.2.
"""

from trialguard.validators.conformance.findings import conformance_outcome
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register


@register(
    "domain_value", message="DOMAIN is '{value}' in the {dataset} dataset; expected {dataset}"
)
def check_domain_value(context: StudyContext, params: NoParams) -> Outcome:
    """DOMAIN matches the dataset."""
    return conformance_outcome(context, "domain")
