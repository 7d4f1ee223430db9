"""Character values hold no control or text-direction characters.

A finding is a record whose value holds a control character (including tab
and line breaks) or a Unicode direction control (U+202A-U+202E, U+2066-U+2069,
U+200E, U+200F): such characters are invisible in most viewers, can make a
value display differently from what it is, and break fixed-width and
line-based tools downstream.  Reference: FDA Study Data Technical
Conformance Guide §3.3 (printable ASCII preferred).
"""

import re

from trialguard.validators.conformance.findings import beside, conformance_outcome
from trialguard.validators.conformance.schema import HIDDEN_CHARACTERS
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register


@register(
    "printable_text",
    message="{variable} value '{visible}' holds a control or text-direction character that no "
    "viewer shows ({characters})",
)
def check_printable_text(context: StudyContext, params: NoParams) -> Outcome:
    """Character values hold only printable characters."""
    outcome = conformance_outcome(context, "printable")
    for hits in outcome.hits:
        values = hits.rows[hits.variables[0]].astype("string")
        beside(hits, "visible", values.str.replace(HIDDEN_CHARACTERS, _code, regex=True))
        hidden = values.str.findall(HIDDEN_CHARACTERS).str.join("")
        codes = hidden.str.replace(HIDDEN_CHARACTERS, _code, regex=True).str.strip("[]")
        beside(hits, "characters", codes.str.replace("][", ", "))
    return outcome


def _code(match: re.Match) -> str:
    """A hidden character as its code point: [U+000A]."""
    return f"[U+{ord(match.group()):04X}]"
