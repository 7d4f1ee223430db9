"""Character values hold no control or text-direction characters.

A finding is a record whose value holds a control character (including tab
and line breaks) or a Unicode direction control (U+202A-U+202E, U+2066-U+2069,
U+200E, U+200F): such characters are invisible in most viewers, can make a
value display differently from what it is, and break fixed-width and
line-based tools downstream.  Reference: FDA Study Data Technical
Conformance Guide §3.3 (printable ASCII preferred).
"""

from trialguard.validators.conformance.findings import conformance_outcome
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register


@register(
    "printable_text",
    message="{variable} holds a control or text-direction character that no viewer shows",
)
def check_printable_text(context: StudyContext, params: NoParams) -> Outcome:
    """Character values hold only printable characters."""
    return conformance_outcome(context, "printable")
