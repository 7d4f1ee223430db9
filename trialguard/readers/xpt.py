"""SAS transport (XPORT v5/v8) files: structure checked first, then read column-wise (v5) or
through pyreadstat (v8, and the v5 files the column-wise reader leaves to it).

pyreadstat is given what it cannot read as the file stands: a copy with 140-byte NAMESTR
records when the file's are 136 bytes, and the all-blank last observations it would take for
padding (`XptLayout.blank_tail`) are added back as it reads one in the middle of a file."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

from trialguard.distinct import spread, with_missing_entry
from trialguard.errors import InputError
from trialguard.readers.dataset import Dataset, TextCodes, blanks_missing, number_records
from trialguard.readers.sas import read_with_pyreadstat
from trialguard.readers.text import not_text_reason
from trialguard.readers.xpt_layout import RECORD, XptLayout, member_name, xpt_layout
from trialguard.readers.xpt_namestr import FULL_LENGTH, with_140_byte_namestrs
from trialguard.readers.xpt_v5 import TextNotDecodable, XptColumns, read_xpt_v5


def read_xpt(path: Path, name: str, encoding: str | None = None) -> Dataset:
    layout = xpt_layout(path)
    dataset = _read_column_wise(path, name, layout) if encoding is None else None
    if dataset is None:
        dataset = read_with_pyreadstat(
            _pyreadstat_reader(path, layout), path, name, "xpt", encoding, layout.blank_tail
        )
    if dataset.records != layout.observations:
        raise InputError(
            path,
            f"{dataset.records:,} records were read but the file's structure holds "
            f"{layout.observations:,}; the file is damaged",
        )
    dataset.version = layout.version
    return dataset


def _pyreadstat_reader(path: Path, layout: XptLayout) -> Callable:
    """`pyreadstat.read_xport` within the memory the data needs (`_in_column_groups`),
    reading a copy with 140-byte NAMESTR records if the file's are 136 bytes long (ReadStat
    reads every NAMESTR as 140 bytes)."""
    read = _in_column_groups(pyreadstat.read_xport, layout)
    if layout.namestr_length == FULL_LENGTH:
        return read

    def read_widened(_: str, **options):
        with tempfile.TemporaryDirectory(prefix="trialguard-") as folder:
            copy = Path(folder) / path.name
            copy.write_bytes(with_140_byte_namestrs(path.read_bytes(), layout.variables))
            return read(str(copy), **options)

    return read_widened


# ReadStat cannot tell how many observations an XPT file holds, so pyreadstat sets aside room
# for 100,000 rows of every variable before it reads one (0.8 MB a variable: 7.9 GB for 9,999
# variables, whatever the data).  A file holding fewer rows is read a group of variables at a
# time, each group's room within COLUMN_GROUP_BYTES; a file of no rows, metadata only.
ROWS_SET_ASIDE = 100_000
COLUMN_GROUP_BYTES = 64 * 2**20


def _in_column_groups(read: Callable, layout: XptLayout) -> Callable:
    rows = layout.observations - layout.blank_tail
    group = max(1, COLUMN_GROUP_BYTES // (8 * ROWS_SET_ASIDE))
    if rows >= ROWS_SET_ASIDE or (rows and layout.variables <= group):
        return read

    def read_grouped(file: str, **options):
        frame, meta = read(file, metadataonly=True, **options)
        names = list(frame.columns)
        if not _usable_names(names):  # blank or repeated names are refused by the caller
            return frame, meta
        if not rows:
            return _typed_empty(frame, meta), meta
        parts = [read(file, usecols=names[i : i + group], **options) for i in _starts(names, group)]
        meta.number_rows = parts[0][1].number_rows
        return pd.concat([part for part, _ in parts], axis=1), meta

    return read_grouped


def _typed_empty(frame: pd.DataFrame, meta) -> pd.DataFrame:
    """pyreadstat's metadata-only frame (every column float64) with its text variables as
    text, as a read of the rows would type them."""
    kinds = getattr(meta, "readstat_variable_types", None) or {}
    return pd.DataFrame(
        {
            name: np.empty(0, object if kinds.get(name) == "string" else np.float64)
            for name in frame.columns
        },
        copy=False,
    )


def _usable_names(names: list) -> bool:
    named = [n for n in names if isinstance(n, str) and n.strip()]
    return len(named) == len(names) == len(set(named))


def _starts(names: list, group: int) -> range:
    return range(0, len(names), group)


def _read_column_wise(path: Path, name: str, layout: XptLayout) -> Dataset | None:
    data = path.read_bytes()
    try:
        columns = read_xpt_v5(data, layout)
    except TextNotDecodable as error:
        raise InputError(path, not_text_reason(error.variable, error.record, error.byte)) from None
    if columns is None:
        return None
    encoded: TextCodes = {}
    variables = columns.variables
    return Dataset(
        name=name,
        path=path,
        format="xpt",
        frame=number_records(_frame(columns, encoded)),
        encoded=encoded,
        sha256=hashlib.sha256(data).hexdigest(),
        labels={v.name: v.label for v in variables},
        lengths={v.name: v.length for v in variables},
        numeric=frozenset(columns.numbers),
        formats={v.name: v.format for v in variables if v.format},
        windows_1252=columns.windows_1252,
        stored_name=member_name(data[: 8 * RECORD], layout.version),
    )


def _frame(columns: XptColumns, encoded: TextCodes) -> pd.DataFrame:
    """The frame `read_with_pyreadstat` would give, its text columns' codes kept in `encoded`."""
    index = pd.RangeIndex(columns.records)
    texts = {name: blanks_missing(*with_missing_entry(*f)) for name, f in columns.texts.items()}
    values = columns.numbers | {
        name: spread(distinct, codes, index) for name, (codes, distinct) in texts.items()
    }
    frame = pd.DataFrame({v.name: values[v.name] for v in columns.variables}, index, copy=False)
    for name, (codes, distinct) in texts.items():
        encoded[name] = (frame[name].array, codes, distinct)
    return frame
