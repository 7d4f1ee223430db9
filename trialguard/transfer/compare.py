"""What changed since the previous transfer: records added, removed and changed, by natural key.

Records are matched on USUBJID (DM) or USUBJID + --SEQ (SUPP--, SV, TS and the trial design
datasets on their own keys, see `trialguard.sdtm.keys`), with a running
number for a key that occurs twice, and compared column by column on whole
frames.  Changes to values the protocol rests on (Day 0, lymphodepletion
dates, dose, arm, DLTs) are listed apart; removed subjects and records are
judged by the transfer-stage rules (validators/transfer).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from trialguard.readers.study import Study
from trialguard.scalars import plain
from trialguard.sdtm.keys import normalised_seq, record_key

ARM_VARIABLES = ("ARMCD", "ACTARMCD", "ARM", "ACTARM")
PRODUCT_VARIABLES = {"EXSTDTC": "Day 0 date", "EXDOSE": "dose", "EXDOSU": "dose unit"}
AGENT_VARIABLES = {
    "EXSTDTC": "lymphodepletion dates",
    "EXENDTC": "lymphodepletion dates",
    "EXDOSE": "lymphodepletion dose",
}


def keyed(frame: pd.DataFrame, dataset: str) -> pd.DataFrame:
    """The frame indexed by its natural key text; `record` keeps the record number and `_seq`
    the key's value (the --SEQ, or the key variables' values joined by "/")."""
    table = frame.reset_index()
    usubjid = table["USUBJID"].astype("string").fillna("") if "USUBJID" in table else ""
    table["_seq"] = _key_values(table, record_key(dataset, table.columns))
    base = usubjid + "|" + table["_seq"].astype("string").fillna("")
    occurrence = base.groupby(base).cumcount().astype("string")
    table.index = pd.Index(base + "|" + occurrence, name="key")
    return table


def _key_values(table: pd.DataFrame, variables: tuple[str, ...]) -> pd.Series:
    parts = [
        pd.Series(normalised_seq(table[v]), index=table.index, dtype="object") for v in variables
    ]
    if not parts:
        return pd.Series([None] * len(table), index=table.index, dtype=object)
    if len(parts) == 1:
        return parts[0]
    texts = [part.astype("string").fillna("") for part in parts]
    joined = texts[0]
    for text in texts[1:]:
        joined = joined + "/" + text
    return joined.astype("object")


def comparable(values: pd.Series, other: pd.Series) -> pd.Series:
    """Text for comparing: numbers as numbers when either side is numeric (XPT vs CSV)."""
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_numeric_dtype(other):
        numbers = pd.to_numeric(values, errors="coerce")
        return (
            numbers.astype("Float64")
            .astype("string")
            .where(numbers.notna(), values.astype("string"))
        )
    return values.astype("string")


def compare_dataset(old: pd.DataFrame, new: pd.DataFrame, dataset: str) -> dict[str, Any]:
    before, after = keyed(old, dataset), keyed(new, dataset)
    added = after.index.difference(before.index, sort=False)
    removed = before.index.difference(after.index, sort=False)
    common = before.index.intersection(after.index, sort=False)
    columns = [c for c in before.columns if c in after.columns and c not in ("record", "_seq")]
    changed = []
    if len(common) and columns:
        a, b = before.loc[common, columns], after.loc[common, columns]
        a_text = pd.DataFrame({c: comparable(a[c], b[c]) for c in columns})
        b_text = pd.DataFrame({c: comparable(b[c], a[c]) for c in columns})
        same = (a_text == b_text).fillna(False) | (a_text.isna() & b_text.isna())
        differs = ~same.to_numpy(dtype=bool)
        for row in np.flatnonzero(differs.any(axis=1)):
            key = str(common[int(row)])
            names = [columns[i] for i in np.flatnonzero(differs[row])]
            changes = {n: [plain(a.at[key, n]), plain(b.at[key, n])] for n in names}
            changed.append(
                _record(after, key, record_before=_number(before.at[key, "record"]))
                | {"changes": changes}
            )
    return {
        "key": list(record_key(dataset, after.columns) or record_key(dataset, before.columns)),
        "records_before": len(before),
        "records_after": len(after),
        "added": [_record(after, key) for key in added],
        "removed": [_record(before, key, record_field="record_before") for key in removed],
        "changed": changed,
        "variables_added": [c for c in new.columns if c not in old.columns],
        "variables_removed": [c for c in old.columns if c not in new.columns],
    }


def _record(table: pd.DataFrame, key: str, record_field: str = "record", **extra) -> dict:
    usubjid = plain(table.at[key, "USUBJID"]) if "USUBJID" in table.columns else None
    seq = table.at[key, "_seq"]  # already plain: an int, a text or None
    return {"usubjid": usubjid, "seq": seq, record_field: _number(table.at[key, "record"]), **extra}


def _number(value: Any) -> int:
    """A record number held in a frame cell (numpy or Python integer)."""
    return int(value)


def compare_studies(old: Study, new: Study, product: str | None) -> dict[str, Any]:
    """Record-level changes; a dataset the current transfer could not read is not compared."""
    unread = {u.dataset for u in new.unreadable}
    old = dataclasses.replace(
        old, datasets={n: d for n, d in old.datasets.items() if n not in unread}
    )
    datasets = {}
    for name in sorted(set(old.datasets) | set(new.datasets)):
        empty = pd.DataFrame({"USUBJID": pd.Series(dtype="string")})
        before = old.datasets[name].frame if name in old.datasets else empty
        after = new.datasets[name].frame if name in new.datasets else empty
        datasets[name] = compare_dataset(before, after, name) | {
            "in_previous": name in old.datasets,
            "in_current": name in new.datasets,
        }
    return {
        "datasets": datasets,
        "subjects_removed": sorted(_subjects(old) - _subjects(new)),
        "subjects_added": sorted(_subjects(new) - _subjects(old)),
        "critical_changes": critical_changes(datasets, old, new, product),
        "not_compared": sorted(unread),
    }


def _subjects(study: Study) -> set[str]:
    found: set[str] = set()
    for dataset in study.datasets.values():
        if "USUBJID" in dataset.frame.columns:
            found.update(dataset.frame["USUBJID"].dropna().astype(str))
    return found


def critical_changes(
    datasets: dict[str, dict], old: Study, new: Study, product: str | None
) -> list[dict[str, Any]]:
    """Changes to what the protocol checks rest on: arm, Day 0, lymphodepletion, dose, DLTs."""
    found = []
    for entry in datasets.get("DM", {}).get("changed", []):
        found += _changed(entry, "DM", {v: "arm" for v in ARM_VARIABLES})
    ex = datasets.get("EX", {})
    for entry in ex.get("changed", []):
        treatment = _value(new, "EX", entry["record"], "EXTRT")
        watched = PRODUCT_VARIABLES if treatment == product else AGENT_VARIABLES
        found += _changed(entry, "EX", watched)
    for kind, field, study in (("added", "record", new), ("removed", "record_before", old)):
        for entry in ex.get(kind, []):
            if _value(study, "EX", entry[field], "EXTRT") == product:
                found.append(
                    _critical(entry, "EX", f"Day 0 infusion record {kind}", None, None, None)
                )
    dl = datasets.get("DL", {})
    for kind in ("added", "removed"):
        found += [
            _critical(e, "DL", f"DLT record {kind}", None, None, None) for e in dl.get(kind, [])
        ]
    for entry in dl.get("changed", []):
        found += _changed(entry, "DL", {v: "DLT record" for v in entry["changes"]})
    return found


def _changed(entry: dict, dataset: str, watched: dict[str, str]) -> list[dict]:
    return [
        _critical(entry, dataset, watched[name], name, before, after)
        for name, (before, after) in entry["changes"].items()
        if name in watched
    ]


def _critical(entry, dataset, what, variable, before, after) -> dict[str, Any]:
    return {
        "what": what,
        "dataset": dataset,
        "usubjid": entry["usubjid"],
        "seq": entry["seq"],
        "variable": variable,
        "before": before,
        "after": after,
    }


def _value(study: Study, dataset: str, record: int, column: str):
    frame = study.datasets[dataset].frame
    return plain(frame.at[record, column]) if column in frame.columns else None
