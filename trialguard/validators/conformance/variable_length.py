"""Variables with a length limit of their own keep to it (ARMCD and ACTARMCD: at most 20
characters).

A finding is a record whose value is longer.  Reference: SDTMIG 3.4 DM (ARMCD,
ACTARMCD); CORE-000010, CORE-000185.
"""

from trialguard.validators.conformance.domains import MAX_LENGTHS
from trialguard.validators.conformance.findings import beside, conformance_outcome
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register


@register(
    "variable_length",
    message="{variable} value '{value}' ({length} characters) is longer than {limit} characters, "
    "its limit in the SDTMIG",
)
def check_variable_length(context: StudyContext, params: NoParams) -> Outcome:
    """Variables keep to their own length limit."""
    outcome = conformance_outcome(context, "max_length")
    for hits in outcome.hits:
        hits.context["limit"] = MAX_LENGTHS[hits.variables[0]]
        beside(hits, "length", hits.rows[hits.variables[0]].astype("string").str.len())
    return outcome
