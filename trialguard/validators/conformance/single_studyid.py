"""One STUDYID across all datasets of the transfer.

The study's STUDYID is the most frequent value in DM (or in all datasets when
DM lacks it).  A finding is a record with another value.  Reference: SDTMIG
3.4 §4.1.2.
"""

import pandas as pd

from trialguard.validators.conformance.findings import supplied_datasets
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import NotRun, Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select


@register(
    "single_studyid", message="STUDYID '{value}' differs from the study's STUDYID '{expected}'"
)
def check_single_studyid(context: StudyContext, params: NoParams) -> Outcome:
    """All datasets carry the same STUDYID."""
    frames = {n: context.frame(n) for n in supplied_datasets(context)}
    frames = {n: f for n, f in frames.items() if "STUDYID" in f.columns}
    if not frames:
        raise NotRun("no dataset has STUDYID")
    expected = study_id(frames)
    outcome = Outcome()
    for name, frame in frames.items():
        differs = frame["STUDYID"].notna() & (frame["STUDYID"] != expected)
        outcome.add(select(name, frame, differs, ["STUDYID"], expected=expected))
    return outcome


def study_id(frames: dict[str, pd.DataFrame]) -> str:
    """The most frequent STUDYID of DM (of all `frames` when DM has none, e.g. no record);
    NotRun when empty everywhere."""
    source = frames.get("DM")
    values = (
        source["STUDYID"]
        if source is not None and source["STUDYID"].notna().any()
        else pd.concat([f["STUDYID"] for f in frames.values()])
    )
    counts = values.dropna().value_counts()
    if counts.empty:
        raise NotRun("STUDYID is empty everywhere")
    return str(sorted(counts[counts == counts.max()].index)[0])
