"""The value every reader returns, and how a file name becomes a dataset name."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from trialguard.distinct import distinct_text, spread
from trialguard.sdtm.naming import is_supp, supp_parent

# File stem (lower case) -> dataset (domain) name of the datasets the protocol rules read.
# The DLT dataset is the sponsor domain DL; data managers also call its file dlt.*.
DATASET_NAMES = {"dm": "DM", "ex": "EX", "ae": "AE", "dl": "DL", "dlt": "DL"}
CORE_DATASETS = frozenset(DATASET_NAMES.values())
# The domain codes of SDTMIG 3.4 (and AP, the prefix of associated-persons datasets) that a
# split dataset's name starts with (SDTMIG 3.4 §4.1.7: QSCG, LBCH, FAMH).
SPLIT_DOMAINS = (
    "ag ap be bs ce cm co cp cv da dd ds dv ec eg fa ft gf ho ie is lb mb mh mi mk ml mo ms nv "
    "oe oi pc pe pp pr qs re rp rs sc se sm sr ss su sv ta td te ti tm tr ts tu tv ur vs"
).split()
# Every other SDTM dataset file: a domain code (ts, mh, a sponsor's xy), a split dataset
# (a standard domain code or a sponsor's X-, Y-, Z- code and one or two more characters), a
# relationship dataset, or a SUPP-- dataset of any of the first two (suppae, supplbch) or
# SUPPQUAL.  Other three- or four-letter names (log, spec) are not datasets; one that starts
# with DM, EX, AE or DL is taken for a misnamed one of those.
PARENT_DATASET = re.compile(rf"[a-z]{{2}}|(?:{'|'.join(SPLIT_DOMAINS)}|[xyz][a-z])[a-z0-9]{{1,2}}")
OTHER_DATASET = re.compile(rf"relrec|relsub|relspec|pooldef|{PARENT_DATASET.pattern}")
FORMATS = {
    ".xpt": "xpt",
    ".csv": "csv",
    ".sas7bdat": "sas7bdat",
    ".json": "json",  # CDISC Dataset-JSON v1.1
    ".ndjson": "ndjson",
    ".dsjc": "dsjc",
}
RECORD = "record"
# Per text column: the column's array as read, and its codes and distinct values.
TextCodes = dict[str, tuple[Any, np.ndarray, pd.Series]]


@dataclass
class Dataset:
    """One dataset as read: its frame is indexed by the 1-based record number in the file.

    Character values are strings with blanks as missing; numeric variables of
    XPT/SAS7BDAT files are floats with SAS missing values as NaN, as stored even
    when their format shows them as dates; CSV values are all text until a
    schema converts them.
    """

    name: str
    path: Path
    format: str
    frame: pd.DataFrame
    sha256: str
    labels: dict[str, str | None] = field(default_factory=dict)  # None: no label
    lengths: dict[str, int] = field(default_factory=dict)
    numeric: frozenset[str] = frozenset()  # variables stored as numbers (not for CSV)
    formats: dict[str, str] = field(default_factory=dict)  # SAS display formats (XPT, SAS7BDAT)
    version: int | None = None  # XPORT version (5 or 8) of an XPT file
    lines: Any = None  # CSV only: numpy array, physical line of each record (header is line 1)
    encoded: TextCodes = field(default_factory=dict, repr=False)  # see `blank_to_missing`
    # Variables whose text is not UTF-8 and was read as Windows-1252: the first such record.
    windows_1252: dict[str, int] = field(default_factory=dict)
    stored_name: str | None = None  # the dataset name the file itself holds, when it holds one
    taken_by: str = "file name"  # how the file was matched to the dataset (readers.delivered)

    def text_codes(self, column: str) -> tuple[np.ndarray, pd.Series] | None:
        """The codes and distinct values of a text column as read, while the frame holds it."""
        kept = self.encoded.get(column)
        if kept is None or self.frame[column].array is not kept[0]:
            return None
        return kept[1], kept[2]

    @property
    def records(self) -> int:
        return len(self.frame)


def dataset_name(path: Path) -> str | None:
    """The dataset a file holds, from its name (`AE.xpt`, `dlt.csv`, `suppae.xpt`), or None
    when the name is not a dataset's."""
    return dataset_of(path.stem)


def dataset_of(name: str) -> str | None:
    """The dataset a name names in any case (`ae`, `DLT`, `supplbch`), or None."""
    stem = name.lower()
    if stem in DATASET_NAMES:
        return DATASET_NAMES[stem]
    if OTHER_DATASET.fullmatch(stem) or _supp_of_a_dataset(stem.upper()):
        return stem.upper()
    return None


def _supp_of_a_dataset(name: str) -> bool:
    """SUPPQUAL, or SUPP and the name of a domain or split dataset (SUPPAE, SUPPLBCH)."""
    parent = supp_parent(name)
    return is_supp(name) and (parent is None or bool(PARENT_DATASET.fullmatch(parent.lower())))


def is_core(name: str) -> bool:
    """Whether dataset `name` is DM, EX, AE or DL."""
    return name in CORE_DATASETS


def file_format(path: Path) -> str | None:
    return FORMATS.get(path.suffix.lower())


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def number_records(frame: pd.DataFrame) -> pd.DataFrame:
    frame.index = pd.RangeIndex(1, len(frame) + 1, name=RECORD)
    return frame


def blank_to_missing(frame: pd.DataFrame, encoded: TextCodes | None = None) -> pd.DataFrame:
    """Blank and whitespace-only text becomes missing, as SAS treats it.  Each text column is
    dictionary-encoded on the way (its distinct values once); given `encoded`, the codes are
    kept there by column, for the checks that work on distinct values."""
    for column in frame.columns:
        values = frame[column]
        if not pd.api.types.is_numeric_dtype(values):
            codes, distinct = blanks_missing(*distinct_text(values))
            frame[column] = spread(distinct, codes, values.index)
            if encoded is not None:
                encoded[column] = (frame[column].array, codes, distinct)
    return frame


def blanks_missing(codes: np.ndarray, distinct: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """A text column's codes and distinct values (see `distinct_text`) with blank and
    whitespace-only values made missing: their entries become missing and their records take
    the code of the missing entry that ends `distinct`."""
    entries = np.array(distinct.tolist(), dtype=object)
    blank = np.fromiter((isinstance(v, str) and not v.strip() for v in entries), bool, len(entries))
    if not blank.any():
        return codes, distinct
    entries[blank] = None
    distinct = pd.Series(pd.array(entries, dtype="string"))
    return np.where(blank[codes], len(distinct) - 1, codes), distinct
