"""Natural record keys: USUBJID in DM, USUBJID + --SEQ elsewhere.

Record numbers change from one transfer to the next; keys do not, so
comparisons, finding history and waivers go by key.  Datasets without a --SEQ that
identifies their records have a key of their own (SDTMIG 3.4 §3.2.1.1, §8.4, §7): SUPP--
by its parent record and QNAM, SV by VISITNUM, TS by TSPARMCD + TSSEQ, the trial design
datasets by their codes, RELREC by the related record and RELID.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

from trialguard.scalars import plain
from trialguard.sdtm.naming import SUPP_NAME, variable_prefix


def seq_variable(dataset: str) -> str | None:
    """The sequence variable that completes the key (None for DM, keyed by USUBJID alone);
    a split dataset's is its domain's (QSSEQ in QSCO)."""
    return None if dataset == "DM" else f"{variable_prefix(dataset)}SEQ"


SUPP_DATASET = SUPP_NAME  # SUPPAE, SUPPLBCH, SUPPQUAL
SUPP_KEY = ("RDOMAIN", "IDVAR", "IDVARVAL", "QNAM")
OWN_KEYS = {
    "SV": ("VISITNUM",),
    "TS": ("TSPARMCD", "TSSEQ"),
    "TA": ("ARMCD", "TAETORD"),
    "TE": ("ETCD",),
    "TV": ("VISITNUM", "ARMCD"),
    "TI": ("IETESTCD",),
    "RELREC": ("RDOMAIN", "IDVAR", "IDVARVAL", "RELID"),
}


def record_key(dataset: str, columns: Collection[str]) -> tuple[str, ...]:
    """The variables that, with USUBJID where the dataset has it, identify one of its records
    from one transfer to the next: its own key, else --SEQ; none when it lacks them."""
    own = SUPP_KEY if SUPP_DATASET.fullmatch(dataset) else OWN_KEYS.get(dataset)
    if own and all(c in columns for c in own):
        return own
    seq = seq_variable(dataset)
    return (seq,) if seq is not None and seq in columns else ()


def normalised_seq(values: pd.Series) -> np.ndarray:
    """--SEQ values comparable across formats: 3, 3.0 and "03" are all 3; other text stays.
    An object array, worked out once per distinct value."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    distinct = pd.Series(uniques.tolist() if hasattr(uniques, "tolist") else list(uniques))
    numbers = pd.to_numeric(distinct, errors="coerce")
    whole = numbers.notna() & (numbers == numbers.round())
    normal = np.empty(len(distinct), dtype=object)
    normal[:] = [
        plain(n) if w else plain(v) for n, w, v in zip(numbers, whole, distinct, strict=True)
    ]
    return normal[codes]


def record_seqs(frame: pd.DataFrame, dataset: str, records: pd.Index) -> np.ndarray:
    """The --SEQ of each record number in `records` (None where there is none)."""
    column = seq_variable(dataset)
    if column is None or column not in frame.columns or not len(records):
        return np.full(len(records), None, dtype=object)
    return normalised_seq(frame[column].reindex(records))
