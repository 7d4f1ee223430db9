"""Codes and their descriptions map one to one (ARMCD and ARM, ACTARMCD and ACTARM,
--DECOD and --PTCD, --BODSYS and --BDSYCD).

Params: pairs, each two variables (`--` is the dataset's prefix).  Records with either
value empty are left out.  A finding is a record whose value of one variable goes with
more than one value of the other in the dataset.  Reference: SDTMIG 3.4 DM assumptions
(arms from TA, code and description one to one); CORE-000184, CORE-000268, CORE-000318,
CORE-000791.
"""

from __future__ import annotations

import pandas as pd

from trialguard.validators.conditions import resolve
from trialguard.validators.conformance.findings import supplied_datasets
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import NotApplicable, Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select


class Params(NoParams):
    pairs: list[tuple[str, str]]


@register("one_to_one", params=Params, message="{left} and {right} do not map one to one")
def check_one_to_one(context: StudyContext, params: Params) -> Outcome:
    """Codes and descriptions map one to one."""
    outcome, checked = Outcome(), 0
    for name in supplied_datasets(context):
        frame = context.frame(name)
        for pair in params.pairs:
            left, right = (resolve(v, name) for v in pair)
            if not {left, right} <= set(frame.columns):
                continue
            checked += 1
            broken = not_one_to_one(frame, left, right)
            outcome.add(select(name, frame, broken, [left, right], None, left=left, right=right))
    if not checked:
        raise NotApplicable("the data lacks the variables of every pair")
    return outcome


def not_one_to_one(frame: pd.DataFrame, left: str, right: str) -> pd.Series:
    """Where a value of either column goes with more than one value of the other (records
    with either value empty are left out)."""
    return _ambiguous(frame[left], frame[right]) | _ambiguous(frame[right], frame[left])


def _ambiguous(values: pd.Series, partners: pd.Series) -> pd.Series:
    """Where a value goes with more than one distinct partner value."""
    text, other = values.astype("string"), partners.astype("string")
    both = text.notna() & other.notna()
    counts = other[both].groupby(text[both]).nunique()
    return both & text.map(counts).gt(1).fillna(False).astype(bool)
