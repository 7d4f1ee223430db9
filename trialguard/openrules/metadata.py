"""The tables the metadata Rule Types check, as CORE builds them (one per dataset):

* Dataset Metadata Check: one row about the file (`dataset_name`, `dataset_size`, ...);
* Variable Metadata Check: one row per variable in file order (`variable_name`,
  `variable_label`, `variable_size`, `variable_data_type`, ...), record = its position;
* against Library Metadata: those rows joined with the SDTMIG's variables of the domain
  (`library_variable_*`, from trialguard's SDTMIG metadata);
* Value Check with Variable/Dataset Metadata: every value of the dataset as a row
  (`row_number`, `variable_name`, `variable_value`), with its variable's or dataset's metadata;
* Domain Presence Check: one row, a column per dataset of the study holding its file name.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from trialguard.openrules.model import OpenRule, RuleProblem
from trialguard.openrules.scope import DatasetInfo, study_infos
from trialguard.sdtm.sdtmig import variable_rows
from trialguard.validators.context import StudyContext

SOURCE = "source_dataset_name"  # the dataset of each row when split datasets are joined
RECORD = "record"
LIBRARY_TYPES = (
    "Variable Metadata Check against Library Metadata",
    "Define Item Metadata Check against Library Metadata",
)


def metadata_table(rule: OpenRule, context: StudyContext, info: DatasetInfo) -> pd.DataFrame:
    """The table rule type `rule.rule_type` checks for the dataset `info`."""
    kind = rule.rule_type
    if kind == "Dataset Metadata Check":
        return one_row(dataset_metadata(context, info))
    if kind == "Variable Metadata Check":
        return variables_metadata(context, info, "variable_max_size" in str(rule.check))
    if kind == LIBRARY_TYPES[0]:
        return with_library(variables_metadata(context, info, False), info)
    if kind == "Domain Presence Check":
        return one_row(domain_files(context))
    if kind == "Value Check with Variable Metadata":
        values = melted(context, info)
        variables = variables_metadata(context, info, False)
        return values.merge(variables, "left", "variable_name").set_axis(values.index)
    if kind == "Value Check with Dataset Metadata":
        return melted(context, info).assign(**dataset_metadata(context, info))
    raise RuleProblem(f"Rule Type {kind!r} is not one trialguard executes: the rule is not run")


def one_row(values: dict[str, Any]) -> pd.DataFrame:
    row = pd.DataFrame({k: [v] for k, v in values.items()}, dtype=object)
    return row.set_axis(pd.Index([1], name=RECORD))


def dataset_metadata(context: StudyContext, info: DatasetInfo) -> dict[str, Any]:
    """What CORE knows of a dataset file (its `get_dataset_metadata`)."""
    dataset = context.study.datasets[info.name]
    return {
        "dataset_size": dataset.path.stat().st_size if dataset.path.exists() else None,
        "dataset_location": dataset.path.name,
        "dataset_name": delivered_name(context, info),
        "dataset_label": None,  # neither CSV nor trialguard's reading keeps it
        "record_count": dataset.records,
        "is_ap": info.is_ap,
        "ap_suffix": info.ap_suffix,
        "domain": info.domain,
    }


def delivered_name(context: StudyContext, info: DatasetInfo) -> str:
    """The dataset's name as its file gives it: a CSV file's stem (alb.csv: ALB, though
    trialguard takes it as LB by its DOMAIN), else the dataset's name."""
    dataset = context.study.datasets[info.name]
    return dataset.path.stem.upper() if dataset.format == "csv" else info.name


def variables_metadata(context: StudyContext, info: DatasetInfo, max_size: bool) -> pd.DataFrame:
    """One row per variable of the dataset, in file order; record = the variable's position."""
    dataset = context.study.datasets[info.name]
    names = [str(c) for c in dataset.frame.columns]
    numeric = numeric_variables(dataset.numeric, dataset.format, info)
    table = pd.DataFrame(
        {
            "variable_name": names,
            "variable_order_number": range(1, len(names) + 1),
            "variable_label": [dataset.labels.get(n) for n in names],
            "variable_size": [dataset.lengths.get(n) for n in names],
            "variable_data_type": ["Num" if n in numeric else "Char" for n in names],
            "variable_format": [dataset.formats.get(n, "") for n in names],
        },
        index=pd.RangeIndex(1, len(names) + 1, name=RECORD),
    )
    if max_size:
        table["variable_max_size"] = [longest(dataset.frame[n]) for n in names]
    return table


def numeric_variables(stored: frozenset[str], file_format: str, info: DatasetInfo) -> set[str]:
    """Numeric variables: as stored (XPT), else as the SDTMIG types them (CSV)."""
    if file_format != "csv":
        return set(stored)
    rows = variable_rows().get("SUPP--" if info.is_supp else info.unsplit, ())
    return {v.name for v in rows if v.numeric}


def longest(column: pd.Series) -> int | None:
    """The longest value of a column as text (None when all are empty)."""
    texts = column.dropna().astype(str)
    return int(texts.str.len().max()) if len(texts) else None


def with_library(table: pd.DataFrame, info: DatasetInfo) -> pd.DataFrame:
    """The variables joined with the SDTMIG's variables of the domain (empty where absent)."""
    domain = "SUPP--" if info.is_supp else info.unsplit.removeprefix("AP")
    rows = variable_rows().get(domain, ())
    library = pd.DataFrame(
        {
            "library_variable_name": [v.name for v in rows],
            "library_variable_label": [v.label for v in rows],
            "library_variable_data_type": ["Num" if v.numeric else "Char" for v in rows],
            "library_variable_core": [next(iter(v.cores.values()), "") for v in rows],
            "library_variable_order_number": [v.order for v in rows],
            "library_variable_has_codelist": [v.codelist is not None for v in rows],
        },
        dtype=object,
    )
    joined = table.reset_index().merge(
        library, "left", left_on="variable_name", right_on="library_variable_name"
    )
    return joined.set_index(RECORD).fillna("")


def melted(context: StudyContext, info: DatasetInfo) -> pd.DataFrame:
    """Every value as a row: `row_number`, `variable_name`, `variable_value` (by variable)."""
    data = context.frame(info.name)
    rows = np.tile(data.index.to_numpy(), len(data.columns))
    names = np.repeat(np.array([str(c) for c in data.columns], dtype=object), len(data))
    parts = [data[c].astype(object).to_numpy() for c in data.columns]
    values = np.concatenate(parts) if parts else np.array([], dtype=object)
    table = pd.DataFrame(
        {"row_number": rows, "variable_name": names, "variable_value": values},
        index=pd.Index(rows, name=RECORD),
    )
    table["variable_value"] = table["variable_value"].where(table["variable_value"].notna(), None)
    return table


def domain_files(context: StudyContext) -> dict[str, Any]:
    """The study's datasets as columns, each holding its file's name (the last of a split)."""
    datasets = context.study.datasets
    return {info.unsplit: datasets[info.name].path.name for info in study_infos(context)}
