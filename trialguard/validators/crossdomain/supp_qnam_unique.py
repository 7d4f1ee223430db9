"""A qualifier (QNAM) is given once per parent record.

A finding is every SUPP-- record whose USUBJID, IDVAR, IDVARVAL and QNAM repeat those of
another record of the same dataset (all copies, so each can be found): the parent record would
have two values for one qualifier.  An IDVARVAL that is a number is compared as one ("1" and
"01" are the same AESEQ).  A SUPP-- dataset without QNAM or USUBJID is named in a note and the
others are checked; when none can be, the rule does not run.
Reference: SDTMIG 3.4 §8.4.1 (the natural key of SUPP--: STUDYID, RDOMAIN, USUBJID, IDVAR,
IDVARVAL, QNAM); CORE-000203; Pinnacle 21 SD0086.
"""

from __future__ import annotations

import pandas as pd

from trialguard.validators.context import StudyContext
from trialguard.validators.crossdomain.supp_records import parent_columns, supp_datasets_with
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select


@register(
    "supp_qnam_unique",
    message="QNAM {QNAM} is given more than once for one parent record in {dataset}",
)
def check_supp_qnam_unique(context: StudyContext, params: NoParams) -> Outcome:
    """Each QNAM is given once per parent record."""
    outcome = Outcome()
    for name in supp_datasets_with(context, outcome, "USUBJID", "QNAM"):
        frame = context.frame(name)
        keys = parent_columns(context, name).assign(QNAM=frame["QNAM"].astype("string"))
        # as SD-SUPP-PARENT matches them: "1" and "01" name the same AESEQ
        numbers = pd.to_numeric(keys["IDVARVAL"], errors="coerce")
        as_number = numbers.astype("Float64").astype("string")
        keys["IDVARVAL"] = as_number.where(numbers.notna(), keys["IDVARVAL"])
        repeated = keys.duplicated(keep=False)
        shown = [c for c in ("RDOMAIN", "IDVAR", "IDVARVAL", "QNAM", "QVAL") if c in frame]
        named = keys["IDVAR"].notna() & keys["IDVAR"].ne("")
        for pointed in (True, False):
            hits = select(name, frame, repeated & (named == pointed), shown, dataset=name)
            hits.message = _message(shown, pointed)
            outcome.add(hits)
    return outcome


def _message(shown: list[str], pointed: bool) -> str:
    """The record's QNAM, the parent record it qualifies and its value."""
    parent = "the parent record {IDVAR} = '{IDVARVAL}'" if pointed else "the subject"
    value = "; this record's QVAL is '{QVAL}'" if "QVAL" in shown else ""
    return f"QNAM {{QNAM}} is given more than once for {parent} in {{dataset}}{value}"
