"""What GX is given: a dataset as a plain frame, and the values its suite parameters stand for.

GX reads failing records from a column (a named index breaks its row identifiers), so the record
number becomes the column `_record`.  A numeric SDTMIG variable read from text (CSV) becomes
numbers when every value is one, as `pandas.read_csv` would infer it; otherwise it stays text.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from trialguard.readers.study import Study
from trialguard.validators.conformance.domains import domain_variables
from trialguard.validators.conformance.single_studyid import study_id
from trialguard.validators.outcome import NotRun

RECORD = "_record"
USUBJID_PARAMETER = "dm_usubjid"
STUDYID_PARAMETER = "study_studyid"
PARAMETERS = {
    USUBJID_PARAMETER: "the USUBJIDs of the transfer's DM",
    STUDYID_PARAMETER: "the study's STUDYID as a one-item list: the most frequent STUDYID of DM "
    "(of all datasets when DM has none)",
}


def gx_frame(frame: pd.DataFrame, dataset: str, model: str) -> pd.DataFrame:
    """The dataset with its record number as the column `_record` and numeric text as numbers."""
    plain = frame.reset_index(drop=True)
    plain.insert(0, RECORD, frame.index.to_numpy())
    for variable in domain_variables(dataset, model):
        name = variable.name
        if not variable.numeric or name not in plain.columns:
            continue
        if pd.api.types.is_numeric_dtype(plain[name]):
            continue
        numbers = pd.to_numeric(plain[name], errors="coerce")
        if numbers.notna().sum() == plain[name].notna().sum():
            plain[name] = numbers
    return plain


def suite_parameters(study: Study) -> dict[str, Any]:
    """The values of the parameters trialguard's exported suites name (absent when unknown)."""
    frames = {n: d.frame for n, d in study.datasets.items()}
    parameters: dict[str, Any] = {}
    dm = frames.get("DM")
    if dm is not None and "USUBJID" in dm.columns:
        parameters[USUBJID_PARAMETER] = sorted(dm["USUBJID"].dropna().unique().tolist(), key=str)
    with_studyid = {n: f for n, f in frames.items() if "STUDYID" in f.columns}
    try:
        parameters[STUDYID_PARAMETER] = [study_id(with_studyid)] if with_studyid else None
    except NotRun:
        parameters[STUDYID_PARAMETER] = None
    return {k: v for k, v in parameters.items() if v is not None}
