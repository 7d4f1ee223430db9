"""Every USUBJID of EX, AE and DLT has a DM record.

A finding is a record whose subject is not in DM.  Not run without DM.
Reference: SDTMIG 3.4 §5.2 (DM: one record per subject in the study).
"""

from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import NotRun, Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select

DOMAINS = ("EX", "AE", "DL")


@register("subject_in_dm", message="USUBJID {USUBJID} has no DM record")
def check_subject_in_dm(context: StudyContext, params: NoParams) -> Outcome:
    """Subjects of EX, AE and DLT are in DM."""
    known = context.subjects.index
    present = [n for n in DOMAINS if context.has(n) and "USUBJID" in context.frame(n).columns]
    if not present:
        raise NotRun("none of EX, AE, DLT supplied")
    outcome = Outcome()
    for name in present:
        frame = context.frame(name)
        orphan = frame["USUBJID"].notna() & ~frame["USUBJID"].isin(known)
        outcome.add(select(name, frame, orphan, ["USUBJID"]))
    return outcome
