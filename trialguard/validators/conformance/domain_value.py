"""DOMAIN holds the dataset's domain code (DM, EX, AE, and DL for the DLT dataset).

A finding is a record with another value.  Reference: SDTMIG 3.4 §4.1.2.
"""

from trialguard.validators.conformance.findings import conformance_outcome
from trialguard.validators.registry import register


@register(
    "domain_value", message="DOMAIN is '{value}' in the {dataset} dataset; expected {dataset}"
)
def check_domain_value(context, params):
    """DOMAIN matches the dataset."""
    return conformance_outcome(context, "domain")
