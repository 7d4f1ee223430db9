"""What every DEF- check needs: the define.xml of the run, and the datasets it describes."""

from __future__ import annotations

from trialguard.readers.define_metadata import Define, DefineDataset
from trialguard.validators.conformance.findings import (  # noqa: F401 (used by the DEF- checks)
    TYPED_FORMATS,
    about_dataset,
    supplied_datasets,
    typed,
)
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import NotApplicable, NotRun


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
