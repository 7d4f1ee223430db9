"""The records a rule holds on, as one result per dataset: the rows (record numbers, USUBJID)
and the Outcome's output variables with their values."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from trialguard.openrules.frame import RuleFrame
from trialguard.openrules.model import OpenRule


@dataclass(frozen=True)
class DatasetResult:
    dataset: str
    rows: pd.DataFrame  # flagged rows: record index, USUBJID and the output variables
    variables: tuple[str, ...]
    dataset_level: bool  # one finding about the dataset, not a record
    checked: int  # rows the Check ran on


def flagged(rule: OpenRule, frame: RuleFrame, holding: pd.Series) -> DatasetResult:
    variables = output_variables(rule, frame)
    rows = frame.data.loc[holding.to_numpy(), :]
    dataset_level = rule.sensitivity == "Dataset" or rule.rule_type != "Record Data"
    if rule.sensitivity == "Dataset" and rule.rule_type == "Record Data":
        rows = rows.iloc[:1]  # CORE reports the dataset once, whatever the records
    shown = [c for c in ("USUBJID", *variables) if c in rows.columns]
    table = rows[list(dict.fromkeys(shown))] if shown else rows.iloc[:, :0]
    return DatasetResult(frame.dataset, table, variables, dataset_level, len(frame.data))


def output_variables(rule: OpenRule, frame: RuleFrame) -> tuple[str, ...]:
    """The Outcome's variables present in the frame (`--` resolved); else those the Check
    names."""
    named = rule.output_variables or tuple(check_names(rule.check))
    resolved = [frame.name(v) for v in named]
    return tuple(dict.fromkeys(v for v in resolved if v in frame.data.columns))


def check_names(check: object) -> list[str]:
    """The `name` of every item of a Check tree, in order."""
    if isinstance(check, list):
        return [n for item in check for n in check_names(item)]
    if isinstance(check, dict):
        for key in ("all", "any", "not"):
            if key in check:
                return check_names(check[key])
        return [str(check["name"])] if "name" in check else []
    return []
