"""The Operations that measure the study's data: distinct values, record counts, earliest and
latest dates, study days, the study's domains and datasets, a dataset's metadata, variables
present.  See `trialguard.openrules.operations` for how they read and share their results."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from trialguard.openrules.frame import MissingVariable, RuleFrame, as_text
from trialguard.openrules.joined import Table
from trialguard.openrules.metadata import SOURCE, dataset_metadata
from trialguard.openrules.operations import Call, DomainNotFound, operation, per_row

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def ordered(values: Any) -> list[Any]:
    """Distinct values sorted (as text when they do not compare)."""
    kept = [v for v in pd.unique(pd.Series(values, dtype=object).dropna())]
    try:
        return sorted(kept)
    except TypeError:
        return sorted(kept, key=str)


def grouping(call: Call) -> list[str]:
    """The `group` columns (`--` resolved, a `$` list expanded to its columns)."""
    columns: list[str] = []
    for raw in call.params.get("group") or []:
        name = call.frame.name(str(raw)) if str(raw).startswith("--") else str(raw)
        value = call.frame.operations.get(name)
        columns += [str(v) for v in value] if isinstance(value, list) else [name]
    return list(dict.fromkeys(columns))


@operation("distinct")
def distinct(call: Call) -> Any:
    data = call.filtered()
    if call.params.get("value_is_reference"):
        return referenced_columns(call, data)
    group = [str(g) for g in call.params.get("group") or []]
    if not group:
        return ordered(call.column(data).to_numpy())
    key = ("distinct lists", call.domain, call.target, tuple(group), repr(call.params))
    if key not in call.context.cache:  # the same lists for every dataset the rule checks
        call.context.cache[key] = grouped_lists(data, group, call.target)
    lists = call.context.cache[key]
    assert isinstance(lists, pd.DataFrame)
    return per_row(call.frame, group, lists, "$")


def grouped_lists(data: Table, group: list[str], target: str) -> pd.DataFrame:
    """Per group, its distinct target values sorted (column `$`): sorted once, then listed."""
    rows = data[[*group, target]].dropna(subset=[target]).drop_duplicates()
    try:
        rows = rows.sort_values(target, kind="stable")
    except TypeError:  # values that do not compare: as text, as `ordered` does
        rows = rows.iloc[np.argsort(rows[target].astype(str).to_numpy(), kind="stable")]
    lists = rows.groupby(group, dropna=True, sort=False)[target].agg(list)
    return lists.rename("$").reset_index()


def referenced_columns(call: Call, data: Table) -> list[Any]:
    """The values of the target (IDVAR) that name a column of the dataset RDOMAIN names."""
    target = call.column(data)
    rdomain = as_text(call.column(data, "RDOMAIN"))
    columns = {i.name: set(i.columns) for i in call.infos}
    pairs = pd.DataFrame({"r": rdomain.to_numpy(), "t": as_text(target).to_numpy()})
    pairs = pairs.drop_duplicates()
    kept = [t for r, t in zip(pairs["r"], pairs["t"], strict=True) if t in columns.get(r, ())]
    return ordered(kept)


@operation("record_count")
def record_count(call: Call) -> Any:
    filtered = call.filtered()
    group = grouping(call)
    if not group:
        return len(filtered)
    data = call.dataframe()
    keys = regex_keys(data, group, call.params.get("regex"))
    sizes = keys.groupby(group, dropna=False).size().rename("all")
    if call.params.get("filter"):
        counted = keys.loc[filtered.index].groupby(group, dropna=False).size()
        sizes = counted.reindex(sizes.index).fillna(0).astype(int)
    table = sizes.rename("$").reset_index()
    frame_keys = regex_keys(call.frame.table, group, call.params.get("regex"))
    looked = per_row_keys(frame_keys, table, group)
    return looked


def regex_keys(data: Table, group: list[str], regex: Any) -> pd.DataFrame:
    """The grouping columns as text, each cut to what `regex` matches at its start."""
    for key in group:
        if key not in data.columns:
            raise MissingVariable(key)
    keys = pd.DataFrame({k: as_text(data[k]) for k in group}, index=data.index)
    if regex:
        pattern = re.compile(str(regex))
        for key in group:
            keys[key] = keys[key].map(lambda v: m.group(0) if (m := pattern.match(v)) else v)
    return keys


def per_row_keys(keys: pd.DataFrame, table: pd.DataFrame, group: list[str]) -> pd.Series:
    table = table.assign(**{k: as_text(table[k]).to_numpy() for k in group})
    merged = keys.reset_index(drop=True).merge(table, "left", on=group)["$"]
    return pd.Series(merged.to_numpy(), index=keys.index, dtype=object)


def extreme_date(call: Call, latest: bool) -> Any:
    data = call.filtered()
    texts = as_text(call.column(data))
    when = pd.to_datetime(texts.where(texts != ""), format="ISO8601", errors="coerce", utc=True)
    instants = when.dt.tz_localize(None).to_numpy()  # UTC, as numbers: they sort alike
    table = pd.DataFrame({"text": texts.to_numpy(), "when": instants})
    group = [str(g) for g in call.params.get("group") or []]
    if not group:
        known = table.dropna(subset=["when"])
        return "" if known.empty else known.sort_values("when")["text"].iloc[-1 if latest else 0]
    for key in group:
        table[key] = as_text(call.column(data, key)).to_numpy()
    known = table.dropna(subset=["when"]).sort_values("when", kind="stable")
    picked = known.drop_duplicates(group, keep="last" if latest else "first")
    looked = per_row(call.frame, group, picked.rename(columns={"text": "$"}), "$")
    return looked.where(looked.notna(), "")


@operation("min_date")
def min_date(call: Call) -> Any:
    return extreme_date(call, latest=False)


@operation("max_date")
def max_date(call: Call) -> Any:
    return extreme_date(call, latest=True)


@operation("dy")
def study_day(call: Call) -> Any:
    """The study day of the target date (no day 0), from DM.RFSTDTC of the subject."""
    dm = [i.name for i in call.infos if i.unsplit == "DM"]
    if not dm:
        raise DomainNotFound("DM")
    reference = pd.concat([call.context.frame(n)[["USUBJID", "RFSTDTC"]] for n in dm])
    table = pd.DataFrame({"USUBJID": reference["USUBJID"], "$": reference["RFSTDTC"]})
    start = per_value(
        call.frame, "USUBJID", lambda f: date_part(per_row(f, ["USUBJID"], table, "$"))
    )
    when = per_value(call.frame, call.target, lambda f: date_part(f.column(call.target)))
    days = (when - start).days.to_numpy(dtype=float)
    known = ~np.isnan(days)
    shown = np.full(len(days), "", dtype=object)
    shown[known] = np.where(days < 0, days, days + 1)[known].astype(np.int64)
    return pd.Series(shown, index=call.frame.index, dtype=object)


def per_value(frame: RuleFrame, name: str, function: Callable[[RuleFrame], pd.Series]) -> Any:
    """`function` of a one-column frame, on the column's distinct values when it has codes
    (then taken to the rows), else on the frame itself: an array by row."""
    found = frame.codes(name)
    if found is None:
        if name not in frame.columns:
            raise MissingVariable(name)
        return pd.DatetimeIndex(function(frame))
    codes, values = found
    data = pd.DataFrame({name: values.reset_index(drop=True)}).rename_axis("record")
    answers = function(RuleFrame(data, frame.dataset, frame.prefix))
    return pd.DatetimeIndex(answers.to_numpy()[codes])


def date_part(values: pd.Series) -> pd.Series:
    """The calendar date of complete dates (NaT for partial or other text)."""
    texts = as_text(values)
    complete = texts.str.match(DATE.pattern)
    return pd.to_datetime(texts.where(complete).str[:10], format="%Y-%m-%d", errors="coerce")


@operation("study_domains")
def study_domains(call: Call) -> list[Any]:
    return sorted({info.domain or "" for info in call.infos})


@operation("dataset_names")
def dataset_names(call: Call) -> list[str]:
    return sorted({info.name for info in call.infos})


@operation("extract_metadata")
def extract_metadata(call: Call) -> Any:
    return dataset_metadata(call.context, call.info).get(str(call.params.get("name")))


@operation("variable_count")
def variable_count(call: Call) -> int:
    last = {info.unsplit: info for info in call.infos}
    name = str(call.params.get("name") or "")
    return sum(name.replace("--", i.wildcard) in i.columns for i in last.values())


@operation("variable_exists")
def variable_exists(call: Call) -> bool:
    return call.target in own_columns(call)


@operation("get_column_order_from_dataset")
def column_order_from_dataset(call: Call) -> list[str]:
    return own_columns(call)


def own_columns(call: Call) -> list[str]:
    """The columns of the dataset the operation reads, in file order."""
    if call.on_own_frame:
        return [str(c) for c in call.frame.columns if c != SOURCE]
    return [str(c) for c in call.context.frame(call.dataset().name).columns]
