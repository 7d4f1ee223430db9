"""No record of the previous transfer (USUBJID + --SEQ) is missing from this one.

One finding per record key the previous transfer held and this one does not, for subjects that
are still there (a removed subject is one finding of removed_subjects).  Does not run without
--previous given as a folder.
"""

from __future__ import annotations

import pandas as pd

from trialguard.sdtm.keys import seq_variable
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
            outcome.add(_hits(name, removed))
    return outcome


def _hits(dataset: str, removed: list[dict]) -> Hits:
    key = seq_variable(dataset) or "USUBJID"
    rows = pd.DataFrame(
        {
            "USUBJID": [e["usubjid"] for e in removed],
            key: [e["seq"] for e in removed],
            "previous_record": [e["record_before"] for e in removed],
        },
        dtype=object,
    )
    context = {"dataset": dataset, "key": key}
    seq_column = key if key != "USUBJID" else None
    return Hits(
        dataset,
        rows,
        [key],
        ["previous_record"],
        context,
        dataset_level=True,
        seq_column=seq_column,
    )
