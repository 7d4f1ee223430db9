"""A qualifier (QNAM) is given once per parent record.

A finding is every SUPP-- record whose USUBJID, IDVAR, IDVARVAL and QNAM repeat those of
another record of the same dataset (all copies, so each can be found): the parent record would
have two values for one qualifier.  An IDVARVAL that is a number is compared as one ("1" and
"01" are the same AESEQ).  Reference: SDTMIG 3.4 §8.4.1 (the natural key of SUPP--:
STUDYID, RDOMAIN, USUBJID, IDVAR, IDVARVAL, QNAM).  A SUPP-- dataset without QNAM or
USUBJID is named in a note and the others are checked; when none can be, the rule does not run.
"""

from __future__ import annotations

import pandas as pd

from trialguard.validators.context import StudyContext
from trialguard.validators.crossdomain.supp_records import parent_columns, supp_datasets
from trialguard.validators.outcome import NotRun, Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select


@register(
    "supp_qnam_unique",
    message="QNAM {QNAM} is given more than once for one parent record in {dataset}",
)
def check_supp_qnam_unique(context: StudyContext, params: NoParams) -> Outcome:
    """Each QNAM is given once per parent record."""
    outcome, lacking, names = Outcome(), [], supp_datasets(context)
    for name in names:
        frame = context.frame(name)
        missing = [c for c in ("USUBJID", "QNAM") if c not in frame.columns]
        if missing:
            lacking.append(f"{name} lacks {' and '.join(missing)}")
            continue
        keys = parent_columns(context, name).assign(QNAM=frame["QNAM"].astype("string"))
        # as SD-SUPP-PARENT matches them: "1" and "01" name the same AESEQ
        numbers = pd.to_numeric(keys["IDVARVAL"], errors="coerce")
        as_number = numbers.astype("Float64").astype("string")
        keys["IDVARVAL"] = as_number.where(numbers.notna(), keys["IDVARVAL"])
        repeated = keys.duplicated(keep=False)
        shown = [c for c in ("RDOMAIN", "IDVAR", "IDVARVAL", "QNAM", "QVAL") if c in frame]
        outcome.add(select(name, frame, repeated, shown, dataset=name))
    if len(lacking) == len(names):
        raise NotRun("; ".join(lacking))
    outcome.notes += [f"not checked: {reason}" for reason in lacking]
    return outcome
