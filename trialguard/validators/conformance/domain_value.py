"""DOMAIN holds the dataset's domain code (DM, EX, AE, DL for the DLT dataset, QS for QSCO).

A finding is a record with another value.  Reference: SDTMIG 3.4 §4.1.2.
"""

from trialguard.sdtm.naming import domain_code
from trialguard.validators.conformance.findings import conformance_outcome
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register


@register(
    "domain_value", message="DOMAIN is '{value}' in the {dataset} dataset; expected {expected}"
)
def check_domain_value(context: StudyContext, params: NoParams) -> Outcome:
    """DOMAIN matches the dataset."""
    outcome = conformance_outcome(context, "domain")
    for hits in outcome.hits:
        hits.context["expected"] = domain_code(hits.context["dataset"])
    return outcome
