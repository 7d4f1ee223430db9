"""What the XPT and SAS7BDAT readers share: one pyreadstat pass for data and metadata.

A variable pyreadstat finds without a name (it names the column NaN) or under a name another
variable already has (it renames it `X_duplicated1`, with only a Python warning) makes the file
unreadable, as it would a CSV or Dataset-JSON file."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from trialguard.errors import InputError
from trialguard.readers.dataset import (
    Dataset,
    TextCodes,
    blank_to_missing,
    number_records,
    sha256_of,
)
from trialguard.readers.text import BYTES_AS_TEXT, redecode_frame, redecode_name
from trialguard.readers.xpt_v5 import ibm_to_ieee

RENAMED = re.compile(r"column '(.*)' is duplicated, renamed to '")


def read_with_pyreadstat(
    read: Callable, path: Path, name: str, fmt: str, encoding: str | None, blank_rows: int = 0
) -> Dataset:
    """One pyreadstat pass; without `encoding`, text that is not UTF-8 is read again byte for
    byte and each value decoded as UTF-8 or Windows-1252 (`trialguard.readers.text`).  XPT
    only: `blank_rows` all-blank observations that end the file, which ReadStat drops, are
    added back."""
    try:
        frame, meta = _read(read, path, fmt, encoding)
        windows_1252: dict[str, int] | None = None
    except UnicodeDecodeError as exc:
        if encoding is not None:
            raise InputError(
                path,
                f"a text value is not valid {encoding} (byte 0x{exc.object[exc.start]:02x}); "
                "give the file's encoding with --encoding, e.g. --encoding cp1252",
            ) from exc
        frame, meta = _read_as_bytes(read, path, fmt, exc)
        windows_1252 = redecode_frame(frame, path)
    declared = getattr(meta, "number_rows", None)
    if declared is not None and declared >= 0 and declared != len(frame):
        raise InputError(
            path, f"the header declares {declared:,} records but {len(frame):,} could be read"
        )
    _check_names(path, fmt, list(frame.columns))
    if blank_rows:
        frame = _with_blank_observations(frame, meta, blank_rows)
    dataset = _dataset(path, name, fmt, frame, _Meta(meta, windows_1252 is not None))
    dataset.windows_1252 = windows_1252 or {}
    return dataset


def _read_as_bytes(
    read: Callable, path: Path, fmt: str, first: UnicodeDecodeError
) -> tuple[Any, Any]:
    """The file read again byte for byte; where pyreadstat still decodes a part as UTF-8 (a
    header field), the file cannot be read and the first undecodable byte is named."""
    try:
        return _read(read, path, fmt, BYTES_AS_TEXT)
    except UnicodeDecodeError as exc:
        raise InputError(
            path,
            f"a text value or header field is not valid UTF-8 (byte 0x"
            f"{first.object[first.start]:02x}) and cannot be read byte for byte; give the "
            "file's encoding with --encoding",
        ) from exc


def _read(read: Callable, path: Path, fmt: str, encoding: str | None) -> tuple[Any, Any]:
    # Numbers stay numbers whatever their format: a date stored as a SAS date number is a
    # finding (SD-TYPE), never silently turned into the text of a date.
    options: dict = {"disable_datetime_conversion": True}
    options |= {"encoding": encoding} if encoding else {}
    try:
        with warnings.catch_warnings(record=True) as warned:
            warnings.simplefilter("always")
            read_now = read(str(path), **options)
    except UnicodeDecodeError:
        raise
    except Exception as exc:  # pyreadstat raises several unrelated types for bad files
        if encoding and "requested encoding" in str(exc):  # ReadStat's iconv refused a value
            raise InputError(
                path,
                f"a text value is not valid {encoding}; give the file's encoding with --encoding "
                "(or leave it out: values not UTF-8 are then read as Windows-1252)",
            ) from exc
        raise InputError(path, f"not a readable {fmt.upper()} file ({_reason(exc)})") from exc
    renamed = [m[1] for w in warned if (m := RENAMED.match(str(w.message)))]
    for other in (w for w in warned if not RENAMED.match(str(w.message))):
        warnings.warn(other.message, other.category, stacklevel=2)
    if renamed:
        shown = ", ".join(dict.fromkeys(renamed))
        raise InputError(
            path, f"names a variable twice: {shown}; each variable of a dataset needs its own name"
        )
    return read_now


def _check_names(path: Path, fmt: str, names: list) -> None:
    blank = [n for n, name in enumerate(names, 1) if not isinstance(name, str) or not name.strip()]
    if blank:
        where = f"NAMESTR record {blank[0]:,}" if fmt == "xpt" else f"column {blank[0]:,}"
        more = f" (and {len(blank) - 1:,} more)" if len(blank) > 1 else ""
        raise InputError(
            path,
            f"variable {blank[0]:,} of {len(names):,} ({where}){more} has a blank name: a SAS "
            "variable name is never blank, so the file is damaged or was not written by SAS",
        )


def _with_blank_observations(frame: pd.DataFrame, meta: Any, count: int) -> pd.DataFrame:
    """`frame` and `count` all-blank XPT observations, read as ReadStat reads one in the middle
    of a file: empty text, and each number the IBM float its blank bytes make (NaN where
    ReadStat reads no number: a width outside 3 to 8 bytes)."""
    widths = getattr(meta, "variable_storage_width", None) or {}
    tail = {}
    for column in frame.columns:
        if pd.api.types.is_numeric_dtype(frame[column]):
            tail[column] = np.full(count, _blank_number(widths.get(column, 8)))
        else:
            tail[column] = np.full(count, "", dtype=object)
    return pd.concat([frame, pd.DataFrame(tail)], ignore_index=True)


def _blank_number(width: int) -> float:
    if not 3 <= width <= 8:
        return float("nan")
    word = int.from_bytes(b" " * width + b"\0" * (8 - width), "big")
    return float(ibm_to_ieee(np.array([word], np.uint64))[0])


class _Meta:
    """pyreadstat's metadata by variable, names and labels decoded again when the file was read
    byte for byte."""

    def __init__(self, meta: Any, as_bytes: bool) -> None:
        self.meta, self.as_bytes = meta, as_bytes

    def text(self, value: str | None) -> str | None:
        return redecode_name(value) if self.as_bytes and value is not None else value

    def by_variable(self, attribute: str) -> dict[str, Any]:
        given = getattr(self.meta, attribute, None) or {}
        return {redecode_name(n) if self.as_bytes else n: v for n, v in given.items()}


def _dataset(path: Path, name: str, fmt: str, frame: Any, meta: _Meta) -> Dataset:
    types = meta.by_variable("readstat_variable_types")
    labels = {c: meta.text(v) for c, v in meta.by_variable("column_names_to_labels").items()}
    encoded: TextCodes = {}
    return Dataset(
        name=name,
        path=path,
        format=fmt,
        frame=number_records(blank_to_missing(frame, encoded)),
        encoded=encoded,
        sha256=sha256_of(path),
        labels=labels,
        lengths=meta.by_variable("variable_storage_width"),
        numeric=frozenset(col for col, kind in types.items() if kind == "double"),
        formats={c: f for c, f in meta.by_variable("original_variable_types").items() if f},
        stored_name=(getattr(meta.meta, "table_name", None) or "").strip().upper() or None,
    )


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
