"""Datasets fit the naming limits of SAS transport v5, the format FDA requires.

Findings, each about a whole dataset: a variable name longer than 8
characters or not upper-case letters and digits starting with a letter (any
format: a CSV transfer is converted to XPT for submission); for XPT files, a
file in version 8 (v5 required) and a variable label longer than 40
characters.  Reference: SAS TS-140; FDA Study Data Technical Conformance
Guide §3.3.
"""

from __future__ import annotations

import re

import pandas as pd

from trialguard.validators.conformance.findings import supplied_datasets
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Hits, Outcome
from trialguard.validators.registry import NoParams, register

NAME = re.compile(r"[A-Z][A-Z0-9]{0,7}")
MAX_LABEL = 40


@register("transport_metadata", message="{dataset}: {problem}")
def check_transport_metadata(context: StudyContext, params: NoParams) -> Outcome:
    """Variable names of at most 8 characters; XPT files in version 5, labels of at most 40."""
    datasets = [context.study.datasets[n] for n in supplied_datasets(context)]
    outcome = Outcome()
    for dataset in datasets:
        for variable, problem in _problems(dataset):
            outcome.add(
                Hits(
                    dataset.name,
                    pd.DataFrame({"USUBJID": [None]}),
                    [variable] if variable else [],
                    context={"dataset": dataset.name, "problem": problem},
                    dataset_level=True,
                )
            )
    return outcome


def _problems(dataset) -> list[tuple[str | None, str]]:
    problems: list[tuple[str | None, str]] = []
    xpt = dataset.format == "xpt"
    if xpt and dataset.version == 8:
        problems.append((None, "the file is XPT version 8; submissions require version 5"))
    for column in dataset.frame.columns:
        if not NAME.fullmatch(column):
            problems.append(
                (column, f"variable name {column} is not 1-8 upper-case letters and digits")
            )
        label = dataset.labels.get(column) or ""
        if xpt and len(label) > MAX_LABEL:
            problems.append(
                (
                    column,
                    f"the label of {column}, '{label}', is {len(label)} characters; at most "
                    f"{MAX_LABEL}",
                )
            )
    return problems
