"""Turn one aspect of the pandera failure table into `Hits`, one per dataset and variable."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable

import pandas as pd

from trialguard.validators.conformance.domains import CORE_DATASETS, ig_domain
from trialguard.validators.conformance.schema import failure_table, raise_if_broke
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Hits, NotRun, Outcome

TYPED_FORMATS = ("xpt", "sas7bdat", "json", "ndjson", "dsjc")  # CSV carries no types or labels


def with_metadata(
    names: Iterable[str], columns_of: Callable[[str], Collection[str]] = lambda name: ()
) -> list[str]:
    """The dataset names trialguard has IG metadata for (a custom domain's class is told by
    its `columns_of`): DM, EX, AE, DL first, then by name."""
    known = [n for n in dict.fromkeys(names) if ig_domain(n, columns_of(n))]
    return [n for n in CORE_DATASETS if n in known] + sorted(set(known) - set(CORE_DATASETS))


def supplied_datasets(context: StudyContext) -> list[str]:
    """The datasets of the study that conformance rules check; NotRun when there is none."""
    unread = with_metadata(u.dataset for u in context.study.unreadable)
    candidates = with_metadata([*context.study.datasets, *unread], _columns_in(context))
    names = [n for n in candidates if context.has(n)]
    if not names and unread:
        raise NotRun("no dataset with conformance metadata could be read")
    if not names:
        raise NotRun("no dataset with conformance metadata supplied")
    return names


def _columns_in(context: StudyContext) -> Callable[[str], Collection[str]]:
    datasets = context.study.datasets
    return lambda name: datasets[name].frame.columns if name in datasets else ()


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


def beside(hits: Hits, name: str, values: pd.Series) -> Hits:
    """`hits` with one more derived column shown beside the variables (e.g. a value's length)."""
    hits.rows[name] = values.reindex(hits.rows.index)
    hits.extra.append(name)
    return hits


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
