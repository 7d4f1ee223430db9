"""A QNAM is a valid variable name: at most 8 upper-case letters, digits and underscores, not
starting with a digit.

A finding is a SUPP-- record whose QNAM is not such a name (QNAM becomes a variable of the
parent dataset when the qualifiers are merged back).  An empty QNAM is left to SD-REQ-VAL.  A
SUPP-- dataset without QNAM is named in a note; when none has it, the rule does not run.
Reference: SDTM v2.0 Supplemental Qualifiers (QNAM); SDTMIG 3.4 §8.4.1; CORE-000221;
Pinnacle 21 SD1022.
"""

from __future__ import annotations

from trialguard.validators.context import StudyContext
from trialguard.validators.crossdomain.supp_records import supp_datasets_with
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select

QNAM_FORM = r"[A-Z_][A-Z0-9_]{0,7}"


@register(
    "supp_qnam_name",
    message="QNAM {QNAM} of {dataset} is not a variable name (at most 8 upper-case letters, "
    "digits or underscores, not starting with a digit)",
)
def check_supp_qnam_name(context: StudyContext, params: NoParams) -> Outcome:
    """Each QNAM is a valid variable name."""
    outcome = Outcome()
    for name in supp_datasets_with(context, outcome, "QNAM"):
        frame = context.frame(name)
        qnam = frame["QNAM"].astype("string")
        invalid = qnam.ne("") & ~qnam.str.fullmatch(QNAM_FORM)
        outcome.add(select(name, frame, invalid.fillna(False), ["QNAM"], dataset=name))
    return outcome
