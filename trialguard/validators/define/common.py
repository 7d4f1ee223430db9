"""What every DEF- check needs: the define.xml of the run, and the datasets it describes."""

from __future__ import annotations

import pandas as pd

from trialguard.readers.define_metadata import Define, DefineDataset
from trialguard.validators.conformance.findings import supplied_datasets
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Hits, NotApplicable, NotRun

TYPED_FORMATS = ("xpt", "sas7bdat", "json", "ndjson", "dsjc")  # CSV carries no types or labels


def define_of(context: StudyContext) -> Define:
    standards = context.standards
    if standards.define is not None:
        return standards.define
    if standards.define_problem:
        raise NotRun(standards.define_problem)
    raise NotApplicable("no define.xml given (--define) or found beside the datasets")


def described(context: StudyContext) -> list[tuple[str, DefineDataset]]:
    """(name, its define metadata) of each supplied dataset the define describes."""
    define = define_of(context)
    return [(n, define.datasets[n]) for n in supplied_datasets(context) if n in define.datasets]


def typed(context: StudyContext, name: str) -> bool:
    return context.study.datasets[name].format in TYPED_FORMATS


def about_dataset(name: str, variable: str | None = None, **details) -> Hits:
    """A finding about the dataset (or one of its variables) as a whole, not a record."""
    return Hits(
        name,
        pd.DataFrame({"USUBJID": [None]}),
        [variable] if variable else [],
        context={"dataset": name, "variable": variable or "", **details},
        dataset_level=True,
    )
