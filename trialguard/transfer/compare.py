"""What changed since the previous transfer: records added, removed and changed, by natural key.

Records are matched on USUBJID (DM) or USUBJID + --SEQ, with a running
number for a key that occurs twice, and compared column by column on whole
frames.  Removed subjects and removed records become findings; changes to
values the protocol rests on (Day 0, lymphodepletion dates, dose, arm, DLTs)
are listed apart.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from trialguard.findings import Finding, RuleInfo, RuleResult, Severity, Status
from trialguard.readers.study import Study
from trialguard.scalars import plain
from trialguard.spec.loader import Spec
from trialguard.transfer.keys import normalised_seq, seq_variable

ARM_VARIABLES = ("ARMCD", "ACTARMCD", "ARM", "ACTARM")
PRODUCT_VARIABLES = {"EXSTDTC": "Day 0 date", "EXDOSE": "dose", "EXDOSU": "dose unit"}
AGENT_VARIABLES = {
    "EXSTDTC": "lymphodepletion dates",
    "EXENDTC": "lymphodepletion dates",
    "EXDOSE": "lymphodepletion dose",
}


def keyed(frame: pd.DataFrame, dataset: str) -> pd.DataFrame:
    """The frame indexed by its natural key text; `record` keeps the record number."""
    table = frame.reset_index()
    usubjid = table["USUBJID"].astype("string").fillna("") if "USUBJID" in table else ""
    column = seq_variable(dataset)
    seqs = normalised_seq(table[column]) if column in table.columns else [None] * len(table)
    table["_seq"] = pd.Series(seqs, index=table.index, dtype="object")
    base = usubjid + "|" + table["_seq"].astype("string").fillna("")
    occurrence = base.groupby(base).cumcount().astype("string")
    table.index = pd.Index(base + "|" + occurrence, name="key")
    return table


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
        for row in differs.any(axis=1).nonzero()[0]:
            key = common[row]
            names = [columns[i] for i in differs[row].nonzero()[0]]
            changes = {n: [plain(a.at[key, n]), plain(b.at[key, n])] for n in names}
            changed.append(
                _record(after, key, record_before=int(before.at[key, "record"]))
                | {"changes": changes}
            )
    return {
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
    return {"usubjid": usubjid, "seq": seq, record_field: int(table.at[key, "record"]), **extra}


def compare_studies(old: Study, new: Study, spec: Spec) -> dict[str, Any]:
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
    product = spec.protocol.day0.extrt if spec.protocol.day0 else None
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


def removal_results(comparison: dict[str, Any], spec: Spec) -> list[RuleResult]:
    """Findings for subjects and records that were in the previous transfer and are gone."""
    gone = set(comparison["subjects_removed"])
    subjects = [_removed_subject(u, comparison) for u in comparison["subjects_removed"]]
    records = [
        _removed_record(name, entry)
        for name, dataset in comparison["datasets"].items()
        for entry in dataset["removed"]
        if entry["usubjid"] not in gone
    ]
    policy = spec.transfer
    rules = (
        (REMOVED_SUBJECT, policy.removed_subjects, subjects),
        (REMOVED_RECORD, policy.removed_records, records),
    )
    results = []
    for info, severity, findings in rules:
        stamped = [dataclasses.replace(f, severity=severity) for f in findings]
        status = Status.FAILED if stamped else Status.PASSED
        results.append(
            RuleResult(dataclasses.replace(info, severity=severity), status, findings=stamped)
        )
    return results


REMOVED_SUBJECT = RuleInfo(
    id="TRANSFER-REMOVED-SUBJECT",
    kind="comparison",
    severity=Severity.ERROR,  # replaced by the spec's transfer.removed_subjects
    description="No subject of the previous transfer is missing from this one.",
    source="--previous transfer; severity from the spec's transfer.removed_subjects",
    category="transfer",
)
REMOVED_RECORD = RuleInfo(
    id="TRANSFER-REMOVED-RECORD",
    kind="comparison",
    severity=Severity.ERROR,  # replaced by the spec's transfer.removed_records
    description="No record of the previous transfer (USUBJID + --SEQ) is missing from this one.",
    source="--previous transfer; severity from the spec's transfer.removed_records",
    category="transfer",
)


def _removed_subject(usubjid: str, comparison: dict[str, Any]) -> Finding:
    lost = {
        name: sum(1 for e in d["removed"] if e["usubjid"] == usubjid)
        for name, d in comparison["datasets"].items()
    }
    lost = {name: n for name, n in lost.items() if n}
    counts = ", ".join(f"{n} {name}" for name, n in lost.items())
    return Finding(
        rule_id=REMOVED_SUBJECT.id,
        severity=Severity.ERROR,
        domain="DM" if "DM" in lost else None,
        usubjid=usubjid,
        record=None,
        variables=("USUBJID",),
        values={"USUBJID": usubjid, **{f"{n}_records_removed": c for n, c in lost.items()}},
        message=f"subject {usubjid} was in the previous transfer and is gone ({counts} records)",
    )


def _removed_record(dataset: str, entry: dict) -> Finding:
    seq = seq_variable(dataset)
    return Finding(
        rule_id=REMOVED_RECORD.id,
        severity=Severity.ERROR,
        domain=dataset,
        usubjid=entry["usubjid"],
        record=None,
        variables=(seq,) if seq else ("USUBJID",),
        values={"previous_record": entry["record_before"], **({seq: entry["seq"]} if seq else {})},
        message=f"{dataset} record {entry['usubjid']} {seq or ''}={entry['seq']} of the previous "
        f"transfer (record {entry['record_before']}) is gone",
        seq=entry["seq"],
    )
