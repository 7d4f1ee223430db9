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

from trialguard.validators.conditions import as_text, resolve
from trialguard.validators.conformance.findings import supplied_datasets
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import NotApplicable, Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select
from trialguard.validators.wording import SHOWN_VALUES


class Params(NoParams):
    pairs: list[tuple[str, str]]


@register(
    "one_to_one", params=Params, message="{left} and {right} do not map one to one: {conflict}"
)
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
            extra = {"conflict": conflicts(frame, left, right, broken)}
            outcome.add(select(name, frame, broken, [left, right], extra, left=left, right=right))
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


def conflicts(frame: pd.DataFrame, left: str, right: str, broken: pd.Series) -> pd.Series:
    """Per record of `broken`, the value that goes with several: "VISITNUM 9 goes with VISIT
    'WEEK 14', 'WEEK 14 (T)'" (both, joined by "; ", when both do)."""
    said = pd.Series(pd.NA, index=frame.index, dtype="object")
    if not broken.any():
        return said
    keys = [frame[c].astype("string") for c in (left, right)]
    # the records sharing a value with a broken one: all the partners of its values
    near = keys[0].isin(keys[0][broken].dropna()) | keys[1].isin(keys[1][broken].dropna())
    part = frame.loc[near, [left, right]]
    ways = [_goes_with(part, a, b) for a, b in ((left, right), (right, left))]
    text = ways[0].fillna(ways[1]).where(ways[0].isna() | ways[1].isna(), ways[0] + "; " + ways[1])
    return said.fillna(text.reindex(frame.index)).where(broken)


def _goes_with(frame: pd.DataFrame, column: str, other: str) -> pd.Series:
    """Where a value of `column` goes with more than one value of `other`: the words saying so."""
    key, partner = frame[column].astype("string"), frame[other].astype("string")
    pairs = pd.DataFrame({"key": key, "partner": partner, "shown": quoted(frame[other])})
    pairs = pairs[key.notna() & partner.notna()].drop_duplicates(["key", "partner"])
    pairs = pairs[pairs["key"].map(pairs["key"].value_counts()) > 1]
    partners = key.map(pairs.groupby("key")["shown"].agg(_listed))
    said = f"{column} " + quoted(frame[column]) + f" goes with {other} " + partners
    return said.where(partners.notna())


def quoted(values: pd.Series) -> pd.Series:
    """Values as a message shows them: text quoted, numbers bare ("3", not "3.0")."""
    text = as_text(values).astype("string")
    return text if pd.api.types.is_numeric_dtype(values) else "'" + text + "'"


def _listed(shown: pd.Series) -> str:
    more = f" and {len(shown) - SHOWN_VALUES} more" if len(shown) > SHOWN_VALUES else ""
    return ", ".join(shown.iloc[:SHOWN_VALUES]) + more
