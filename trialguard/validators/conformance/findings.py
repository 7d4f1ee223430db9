"""Turn one aspect of the pandera failure table into `Hits`, one per dataset and variable."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from trialguard.validators.conformance.domains import VARIABLES
from trialguard.validators.conformance.schema import failure_table, raise_if_broke
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Hits, NotRun, Outcome

CHECKED = tuple(VARIABLES)
TYPED_FORMATS = ("xpt", "sas7bdat", "json", "ndjson", "dsjc")  # CSV carries no types or labels


def supplied_datasets(context: StudyContext) -> list[str]:
    """The checked datasets present in the study; NotRun when there is none."""
    names = [n for n in CHECKED if context.has(n)]
    if not names and any(context.study.unread(n) for n in CHECKED):
        raise NotRun("none of DM, EX, AE, DLT could be read")
    if not names:
        raise NotRun("none of DM, EX, AE, DLT supplied")
    return names


def conformance_outcome(context: StudyContext, aspect: str, keep=None) -> Outcome:
    """Hits of `aspect` in every supplied dataset; `keep` filters the failure rows further."""
    outcome = Outcome()
    for name in supplied_datasets(context):
        table = failure_table(context, name)
        rows = table[table["aspect"] == aspect]
        raise_if_broke(rows, name)
        if keep is not None:
            rows = rows[keep(name, rows)]
        for hits in per_variable(context, name, rows):
            outcome.add(hits)
    return outcome


def per_variable(context: StudyContext, name: str, rows: pd.DataFrame) -> Iterable[Hits]:
    frame = context.frame(name)
    for (label, check), group in rows.groupby(["column", "check"], sort=True, dropna=False):
        column = str(label)
        records = group["record"].dropna().astype(int)
        context_values = {
            "dataset": name,
            "variable": column,
            "codelist": str(check).removeprefix("ct:"),
        }
        if records.empty:
            yield Hits(
                name,
                pd.DataFrame({"USUBJID": [None]}),
                [column],
                context=context_values,
                dataset_level=True,
            )
            continue
        keep = [c for c in dict.fromkeys(["USUBJID", column]) if c in frame.columns]
        yield Hits(name, frame.loc[records.unique(), keep], [column], context=context_values)


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
