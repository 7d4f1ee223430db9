"""No record of the previous transfer (USUBJID + --SEQ, or the dataset's own key) is gone.

One finding per record key the previous transfer held and this one does not, for subjects that
are still there (a removed subject is one finding of removed_subjects).  Does not run without
--previous given as a folder.
"""

from __future__ import annotations

import pandas as pd

from trialguard.transfer.context import TransferContext
from trialguard.validators.outcome import Hits, Outcome
from trialguard.validators.registry import NoParams, register


@register(
    "removed_records",
    message="{dataset} record {USUBJID} {key}={value} of the previous transfer "
    "(record {previous_record}) is gone",
    stage="transfer",
)
def check_removed_records(context: TransferContext, params: NoParams) -> Outcome:
    """No record of the previous transfer (USUBJID + --SEQ) is missing from this one."""
    comparison = context.require_comparison()
    gone = set(comparison.subjects_removed)
    outcome = Outcome()
    for name, changes in sorted(comparison.datasets.items()):
        removed = [e for e in changes["removed"] if e["usubjid"] not in gone]
        if removed:
            outcome.add(_hits(name, removed, changes.get("key", [])))
    return outcome


def _hits(dataset: str, removed: list[dict], variables: list[str]) -> Hits:
    """The removed records, keyed by their key variables (the --SEQ, or "/"-joined ones)."""
    seq = "/".join(variables) or None
    columns = {"USUBJID": [e["usubjid"] for e in removed]}
    if seq is not None:
        columns[seq] = [e["seq"] for e in removed]
    columns["previous_record"] = [e["record_before"] for e in removed]
    rows = pd.DataFrame(columns, dtype=object)
    key = seq or "USUBJID"
    context = {"dataset": dataset, "key": key}
    extra = ["USUBJID", "previous_record"]
    return Hits(dataset, rows, [key], extra, context, dataset_level=True, seq_column=seq)
