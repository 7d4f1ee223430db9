"""Helpers that turn boolean masks over a dataset into `Hits`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from trialguard.validators.outcome import Hits


def select(
    domain: str,
    frame: pd.DataFrame,
    mask: pd.Series | np.ndarray,
    variables: list[str],
    extra: dict[str, pd.Series] | None = None,
    **context,
) -> Hits:
    """The records where `mask` is true, with USUBJID, `variables` and `extra` derived columns."""
    if not isinstance(mask, pd.Series):
        mask = pd.Series(mask, index=frame.index)
    mask = mask.reindex(frame.index).fillna(False).astype(bool)
    keep = [c for c in dict.fromkeys(["USUBJID", *variables]) if c in frame.columns]
    rows = frame.loc[mask, keep].copy()
    for name, values in (extra or {}).items():
        rows[name] = values.reindex(frame.index)[mask]
    return Hits(domain, rows, variables, list(extra or {}), context)


def day_text(days: pd.DataFrame) -> pd.Series:
    """A protocol day, or the range `low..high` a partial date allows."""
    low, high = days["low"], days["high"]
    span = low.astype("string") + ".." + high.astype("string")
    return low.astype("object").where(low == high, span.astype("object"))
