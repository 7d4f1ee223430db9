"""Waivers of one state (expired, unused) as the hits of a waiver rule."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from trialguard.report import WaiverEntry
from trialguard.transfer.context import TransferContext
from trialguard.validators.outcome import Hits, Outcome


def waiver_hits(context: TransferContext, state: str) -> Outcome:
    entries = [e for e in context.require_waivers() if e.state == state]
    rows = pd.DataFrame(
        {
            "USUBJID": [e.subject for e in entries],
            "waiver": [e.number for e in entries],
            "scope": [scope(e) for e in entries],
            "expires": [e.expires for e in entries],
            "approver": [e.approver for e in entries],
            "file": [str(context.waivers_path or Path("waivers"))] * len(entries),
        },
        dtype=object,
    )
    extra = ["waiver", "scope", "expires", "approver", "file"]
    return Outcome().add(Hits(None, rows, [], extra, dataset_level=True))


def scope(entry: WaiverEntry) -> str:
    """'rule SD-CT, subject X, dataset EX, seq 1': what the waiver names."""
    parts = [f"rule {entry.rule}"]
    parts += [f"subject {entry.subject}"] if entry.subject else []
    parts += [f"dataset {entry.dataset}"] if entry.dataset else []
    parts += [f"seq {entry.seq}"] if entry.seq is not None else []
    return ", ".join(parts)
