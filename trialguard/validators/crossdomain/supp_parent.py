"""Every SUPP-- record points at a real parent record (RDOMAIN, USUBJID, IDVAR, IDVARVAL).

A finding is a SUPP-- record whose pointer is incomplete or whose parent is not there: RDOMAIN
empty (or missing) or not the domain the dataset's name says (SUPPAE: AE; SUPPLBCH: LB, the
characters 5 and 6), USUBJID empty, IDVAR empty for a parent other than DM, IDVAR without
IDVARVAL or IDVARVAL without IDVAR; or the parent dataset not in the transfer (SUPPLB's parent
records are in LB and its split datasets, SUPPLBCH's in LBCH), the subject without a record
there, IDVAR no variable of it, or no record of the subject holding IDVARVAL in IDVAR (a
numeric IDVAR such as AESEQ is compared as a number: "1" and 1.0 match).  Each record is
reported once, under the first of these.  Not run without a SUPP-- dataset.
Reference: SDTMIG 3.4 §8.4.1 and §4.1.7; CORE-000538, CORE-000457, CORE-000502, CORE-000134,
CORE-000135, CORE-000218, CORE-000712, CORE-000206; Pinnacle 21 SD0072, SD0075, SD0077,
SD1065, SD1072.
"""

from __future__ import annotations

import pandas as pd

from trialguard.sdtm.naming import domain_code, supp_parent
from trialguard.validators.context import StudyContext
from trialguard.validators.crossdomain.parent_records import Problems, against_domain, blank
from trialguard.validators.crossdomain.supp_records import (
    PARENT_VARIABLES,
    parent_columns,
    parent_dataset,
    supp_datasets,
)
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select


@register("supp_parent", message="{dataset} record points at no parent record: {problem}")
def check_supp_parent(context: StudyContext, params: NoParams) -> Outcome:
    """SUPP-- records point at a real parent record."""
    outcome = Outcome()
    for name in supp_datasets(context):
        frame = context.frame(name)
        shown = [v for v in PARENT_VARIABLES if v in frame.columns and v != "USUBJID"]
        for problem, mask in _problems(context, name):
            hits = select(name, frame, mask, shown, dataset=name, problem=problem)
            hits.message = "{dataset} record points at no parent record: " + problem
            outcome.add(hits)
    return outcome


def _problems(context: StudyContext, name: str) -> Problems:
    """(what is wrong, the records it is wrong for), each record counted under its first."""
    keys = parent_columns(context, name)
    found, taken = [], pd.Series(False, index=keys.index)
    for problem, mask in _incomplete(name, keys):
        found.append((problem, mask & ~taken))
        taken |= mask
    parents = parent_dataset(name, keys["RDOMAIN"]).where(~taken)
    for parent in sorted(parents.dropna().unique()):
        found += against_domain(context, str(parent), keys[parents.eq(parent).fillna(False)])
    return found


def _incomplete(name: str, keys: pd.DataFrame) -> Problems:
    """The pointers that cannot name a parent record, or name it against the SDTMIG."""
    rdomain, idvar, idvarval = (blank(keys[v]) for v in ("RDOMAIN", "IDVAR", "IDVARVAL"))
    found = [("RDOMAIN is empty, so the parent dataset is not named", rdomain)]
    parent = supp_parent(name)
    if parent is not None:
        domain = domain_code(parent)
        found.append(
            (f"RDOMAIN '{{RDOMAIN}}' is not {domain}", keys["RDOMAIN"].ne(domain).fillna(True))
        )
    not_dm = keys["RDOMAIN"].ne("DM").fillna(True)
    return found + [
        ("USUBJID is empty, so the parent record is not named", blank(keys["USUBJID"])),
        ("IDVAR '{IDVAR}' is given and IDVARVAL is empty", ~idvar & idvarval),
        ("IDVARVAL '{IDVARVAL}' is given and IDVAR is empty", idvar & ~idvarval),
        (
            "IDVAR is empty, which only a qualifier of DM may leave (RDOMAIN '{RDOMAIN}')",
            idvar & not_dm,
        ),
    ]
