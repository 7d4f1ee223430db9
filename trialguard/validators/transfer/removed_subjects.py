"""No subject of the previous transfer is missing from this one.

One finding per USUBJID that the previous transfer held and this one does not, with the number
of records each dataset lost with it.  Does not run without --previous given as a folder (a
JSON report holds no records).
"""

from __future__ import annotations

import pandas as pd

from trialguard.transfer.context import TransferContext
from trialguard.validators.outcome import Hits, Outcome
from trialguard.validators.registry import NoParams, register


@register(
    "removed_subjects",
    message="subject {USUBJID} was in the previous transfer and is gone ({records_removed})",
    stage="transfer",
)
def check_removed_subjects(context: TransferContext, params: NoParams) -> Outcome:
    """No subject of the previous transfer is missing from this one."""
    comparison = context.require_comparison()
    gone = comparison.subjects_removed
    rows = pd.DataFrame(
        {"USUBJID": gone, "records_removed": [_lost(comparison.datasets, u) for u in gone]},
        dtype=object,
    )
    return Outcome().add(
        Hits("DM", rows, ["USUBJID"], extra=["records_removed"], dataset_level=True)
    )


def _lost(datasets: dict[str, dict], usubjid: str) -> str:
    """'3 AE, 1 EX records': what each dataset lost with the subject."""
    counts = {
        name: sum(1 for entry in changes["removed"] if entry["usubjid"] == usubjid)
        for name, changes in sorted(datasets.items())
    }
    listed = ", ".join(f"{count} {name}" for name, count in counts.items() if count)
    return f"{listed} records" if listed else "no records"
