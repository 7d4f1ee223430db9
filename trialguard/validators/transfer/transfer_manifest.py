"""Every file of the sender's manifest arrived whole: present, with the record count and SHA-256
the manifest gives; no data file arrived that it does not list.

A file cut exactly at a record boundary reads as a valid, shorter dataset; only the sender's
record count or hash can tell.  One finding per missing, extra or differing file.  Does not run
without --manifest.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from trialguard.transfer.context import TransferContext
from trialguard.transfer.manifest import manifest_problems
from trialguard.validators.outcome import Hits, Outcome
from trialguard.validators.registry import NoParams, register

COLUMNS = ["file", "problem", "manifest_value", "received_value"]


@register("transfer_manifest", message="{file}: {problem}", stage="transfer")
def check_transfer_manifest(context: TransferContext, params: NoParams) -> Outcome:
    """The files of the sender's manifest arrived whole, and no other data file arrived."""
    entries = context.require_manifest()
    manifest = context.manifest_path or Path("manifest")
    problems = pd.DataFrame(manifest_problems(entries, context.study, manifest))
    outcome = Outcome()
    if problems.empty:
        return outcome
    for dataset, group in problems.groupby("dataset", sort=True, dropna=False):
        rows = group[COLUMNS].reset_index(drop=True)
        rows = rows.astype(object).where(rows.notna(), None)
        domain = None if pd.isna(dataset) or dataset == "" else str(dataset)
        outcome.add(Hits(domain, rows, [], extra=COLUMNS, dataset_level=True))
    return outcome
