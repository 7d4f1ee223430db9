"""QNAM and QLABEL map one to one within a SUPP-- dataset.

A finding is a SUPP-- record whose QNAM goes with more than one QLABEL in the dataset, or whose
QLABEL goes with more than one QNAM: one qualifier would have two labels, or one label two
qualifiers.  Records with either empty are left out.  A SUPP-- dataset without QNAM or QLABEL
is named in a note; when none has both, the rule does not run.
Reference: FDA business rule FDAB009 (paired variables one to one); CORE-000302;
Pinnacle 21 SD0046, SD1130.
"""

from __future__ import annotations

from trialguard.validators.conformance.one_to_one import conflicts, not_one_to_one
from trialguard.validators.context import StudyContext
from trialguard.validators.crossdomain.supp_records import supp_datasets_with
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select


@register(
    "supp_qnam_qlabel",
    message="QNAM {QNAM} and QLABEL '{QLABEL}' of {dataset} do not map one to one: {conflict}",
)
def check_supp_qnam_qlabel(context: StudyContext, params: NoParams) -> Outcome:
    """QNAM and QLABEL map one to one."""
    outcome = Outcome()
    for name in supp_datasets_with(context, outcome, "QNAM", "QLABEL"):
        frame = context.frame(name)
        broken = not_one_to_one(frame, "QNAM", "QLABEL")
        extra = {"conflict": conflicts(frame, "QNAM", "QLABEL", broken)}
        outcome.add(select(name, frame, broken, ["QNAM", "QLABEL"], extra, dataset=name))
    return outcome
