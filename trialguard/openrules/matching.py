"""Match Datasets: the datasets a rule joins to the one it checks, on their keys."""

from __future__ import annotations

import pandas as pd

from trialguard.openrules.model import OpenRule
from trialguard.validators.context import StudyContext


def matched(rule: OpenRule, context: StudyContext, name: str, data: pd.DataFrame) -> pd.DataFrame:
    """`data` with the columns of every dataset the rule matches (left join on the keys)."""
    for match in rule.matches:
        if match.name not in context.study.datasets:
            continue
        other = context.frame(match.name)
        keys = [k for k in match.keys if k in data.columns and k in other.columns]
        if not keys:
            continue
        right = other.drop_duplicates(keys)
        renamed = {c: f"{match.name}.{c}" for c in right.columns if c not in keys}
        right = right.rename(columns=renamed)
        for column, qualified in renamed.items():
            if column not in data.columns:
                right[column] = right[qualified]
        joined = data.reset_index().merge(right, on=keys, how="left")
        data = joined.set_index(data.index.name or "record")
    return data
