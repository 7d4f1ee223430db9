"""A QLABEL has at most 40 characters.

A finding is a SUPP-- record whose QLABEL is longer than 40 characters (QLABEL becomes the
variable label of QNAM, which SAS transport files limit to 40).  A SUPP-- dataset without QLABEL
is named in a note; when none has it, the rule does not run.
Reference: SDTM v2.0 Supplemental Qualifiers (QLABEL); CORE-000222; Pinnacle 21 SD1049.
"""

from __future__ import annotations

from trialguard.validators.context import StudyContext
from trialguard.validators.crossdomain.supp_records import supp_datasets_with
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select

LONGEST = 40


@register(
    "supp_qlabel",
    message="QLABEL '{QLABEL}' of {QNAM} in {dataset} has {length} characters, more than 40",
)
def check_supp_qlabel(context: StudyContext, params: NoParams) -> Outcome:
    """Each QLABEL has at most 40 characters."""
    outcome = Outcome()
    for name in supp_datasets_with(context, outcome, "QLABEL"):
        frame = context.frame(name)
        length = frame["QLABEL"].astype("string").str.len()
        long = length.gt(LONGEST).fillna(False)
        shown = [c for c in ("QNAM", "QLABEL") if c in frame.columns]
        outcome.add(select(name, frame, long, shown, {"length": length}, dataset=name))
    return outcome
