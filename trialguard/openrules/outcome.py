"""The records a rule holds on, as CORE reports them: one result per dataset (per file of a
split domain), with the Outcome's Output Variables (`--` standing for the prefix; else the
variables the Check names, and the variables a list-valued one names).

Record sensitivity gives each record once, however often a join repeated it; Dataset
sensitivity one finding about the dataset, shown with the values of its first flagged row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from trialguard.openrules.frame import RuleFrame
from trialguard.openrules.metadata import SOURCE
from trialguard.openrules.model import OpenRule

RECORD_ROWS = (  # rule types whose rows are records (a Value Check's: a record's variable)
    "Record Data",
    "Value Check with Variable Metadata",
    "Value Check with Dataset Metadata",
)


@dataclass(frozen=True)
class DatasetResult:
    dataset: str
    rows: pd.DataFrame  # flagged rows: record index, USUBJID and the output variables
    variables: tuple[str, ...]
    dataset_level: bool  # one finding about the dataset, not a record
    checked: int  # rows the Check ran on


def flagged(rule: OpenRule, frame: RuleFrame, holding: pd.Series) -> list[DatasetResult]:
    """A result per dataset of the frame (split files apart) with the rows flagged."""
    true = holding.fillna(False).to_numpy(dtype=bool)
    rows = frame.rows(true)
    variables = output_variables(rule, frame, rows)
    table = shown(frame, rows, variables, true)
    sources = rows[SOURCE] if SOURCE in rows.columns else None
    names = [frame.dataset] if sources is None else list(dict.fromkeys(sources))
    once = rule.sensitivity == "Dataset"
    dataset_level = once or rule.rule_type not in RECORD_ROWS  # metadata rows are no records
    results = []
    for name in names:
        part = table if sources is None else table[(sources == name).to_numpy()]
        part = part.iloc[:1] if once else part[~repeated(part)]
        count = len(frame.index)
        results.append(DatasetResult(name, part, variables, dataset_level, count))
    return results or [DatasetResult(frame.dataset, table, variables, False, len(frame.index))]


def repeated(rows: pd.DataFrame) -> Any:
    """Rows repeating an earlier one's record (a join may repeat it); in a Value Check, its
    record and variable."""
    if "variable_name" in rows.columns:
        keys = pd.DataFrame({"record": rows.index, "variable": rows["variable_name"].to_numpy()})
        return keys.duplicated().to_numpy()
    return rows.index.duplicated()


def shown(frame: RuleFrame, rows: pd.DataFrame, variables: tuple[str, ...], true: Any) -> Any:
    """The flagged rows' USUBJID and output variables (operations' values included)."""
    columns = [c for c in ("USUBJID", *variables) if c in rows.columns]
    table = rows[list(dict.fromkeys(columns))].copy()
    for name in variables:
        if name not in rows.columns and name in frame.operations:
            table[name] = frame.broadcast(frame.operations[name]).to_numpy()[true]
    return table


def output_variables(rule: OpenRule, frame: RuleFrame, rows: pd.DataFrame) -> tuple[str, ...]:
    """The Outcome's variables (`--` resolved), else those the Check names, with the
    columns a list-valued one names; only those the frame has."""
    named = rule.output_variables or tuple(check_names(rule.check))
    resolved = list(dict.fromkeys(frame.name(v) for v in named))
    present = [v for v in resolved if frame.has(v)]
    for name in list(present):
        present += [v for v in listed_columns(frame, rows, name) if v not in present]
    return tuple(present)


def listed_columns(frame: RuleFrame, rows: pd.DataFrame, name: str) -> list[str]:
    """The columns of the frame a list-valued variable's flagged cells name."""
    value = frame.operations.get(name) if name not in rows.columns else None
    if isinstance(value, list):
        cells = [value]
    elif name in rows.columns and rows[name].dtype == object:
        cells = [v for v in rows[name].head(50) if isinstance(v, list)]
    else:
        return []
    items = [str(i) for cell in cells for i in cell]
    return [i for i in dict.fromkeys(items) if i in frame.columns]


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
