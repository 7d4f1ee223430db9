"""Every USUBJID of the subject datasets (EX, AE, DLT, MH, RS, SUPP--, ...) has a DM record.

A finding is a record, of any dataset read other than DM that has USUBJID, whose subject is
not in DM (an empty USUBJID is another rule's).  Not run without DM, or when no other dataset
has USUBJID.  Reference: SDTMIG 3.4 §5.2 (DM: one record per subject in the study).
"""

from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import NotRun, Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select


@register("subject_in_dm", message="USUBJID {USUBJID} has no DM record")
def check_subject_in_dm(context: StudyContext, params: NoParams) -> Outcome:
    """Subjects of every subject dataset are in DM."""
    known = context.subjects.index
    present = [
        name
        for name, dataset in context.study.datasets.items()
        if name != "DM" and "USUBJID" in dataset.frame.columns
    ]
    if not present:
        raise NotRun("no dataset but DM has USUBJID")
    outcome = Outcome()
    for name in present:
        frame = context.frame(name)
        orphan = frame["USUBJID"].notna() & ~frame["USUBJID"].isin(known)
        outcome.add(select(name, frame, orphan, ["USUBJID"]))
    return outcome
