"""Character values fit the 200-byte limit of SAS transport (XPT v5) files.

A finding is a record whose value of a character variable is longer than 200
bytes in UTF-8: it cannot be submitted as XPT v5 without being cut.  CSV
transfers are checked too, since they are converted to XPT for submission.
Reference: SAS TS-140; FDA Study Data Technical Conformance Guide §3.3.
"""

from trialguard.scalars import utf8_lengths
from trialguard.validators.conformance.findings import beside, conformance_outcome
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register


@register(
    "value_length",
    message="{variable} value ({bytes} bytes) is longer than 200 bytes, the most an XPT v5 file "
    "can hold",
)
def check_value_length(context: StudyContext, params: NoParams) -> Outcome:
    """Character values are at most 200 bytes long."""
    outcome = conformance_outcome(context, "length")
    for hits in outcome.hits:
        beside(hits, "bytes", utf8_lengths(hits.rows[hits.variables[0]]))
    return outcome
