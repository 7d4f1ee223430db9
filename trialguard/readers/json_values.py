"""Dataset-JSON rows into a frame, each column typed by its declared `dataType`.

Text types (string, date, datetime, time, URI) hold strings or null; integer, float and double
hold JSON numbers; decimal holds numbers written as strings (or numbers); boolean becomes the
text `true` / `false`.  A value of another type is an InputError naming the record and column.
Numbers become floats with NaN for null, as the SAS readers give them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from trialguard.errors import InputError
from trialguard.readers.dataset import blank_to_missing, number_records

TEXT_TYPES = ("string", "date", "datetime", "time", "URI")
NUMBER_KINDS = ("integer", "floating", "mixed-integer-float", "empty", "decimal")


def typed_frame(
    path: Path, columns: list[dict], rows: list, first_line: int | None
) -> pd.DataFrame:
    width = len(columns)
    sizes = np.fromiter((len(r) if isinstance(r, list) else -1 for r in rows), int, len(rows))
    wrong = np.flatnonzero(sizes != width)
    if wrong.size:
        count = sizes[wrong[0]]
        held = "is not a list of values" if count < 0 else f"holds {count} values"
        where = _where(int(wrong[0]), first_line)
        raise InputError(path, f"{where} {held}; the metadata declares {width} columns")
    values = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    data = {
        column["name"]: _typed(path, column, pd.Series(cells, dtype=object), first_line)
        for column, cells in zip(columns, values, strict=True)
    }
    frame = pd.DataFrame(data, index=pd.RangeIndex(len(rows)))
    return number_records(blank_to_missing(frame))


def _typed(path: Path, column: dict, cells: pd.Series, first_line: int | None) -> pd.Series:
    kind = column["dataType"]
    if kind in TEXT_TYPES:
        _expect(
            path,
            column,
            cells,
            pd.api.types.infer_dtype(cells, skipna=True) in ("string", "empty"),
            lambda v: isinstance(v, str),
            "a string",
            first_line,
        )
        return cells
    if kind == "boolean":
        _expect(
            path,
            column,
            cells,
            pd.api.types.infer_dtype(cells, skipna=True) in ("boolean", "empty"),
            lambda v: isinstance(v, bool),
            "true or false",
            first_line,
        )
        return cells.map({True: "true", False: "false"})
    if kind == "decimal":
        numbers = pd.to_numeric(cells.where(~cells.map(_is_bool)), errors="coerce")
        _expect(
            path,
            column,
            cells,
            bool((numbers.notna() | cells.isna()).all()),
            lambda v: not _is_bool(v) and _parses(v),
            "a decimal number",
            first_line,
        )
        return numbers.astype("float64")
    _expect(
        path,
        column,
        cells,
        pd.api.types.infer_dtype(cells, skipna=True) in NUMBER_KINDS,
        lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "a number",
        first_line,
    )
    return cells.astype("float64")


def _expect(path, column, cells, holds: bool, fits, wanted: str, first_line) -> None:
    """Raise, naming the first record whose value is not what the column's dataType says."""
    if holds:
        return
    bad = cells.notna() & ~cells.map(fits).astype(bool)  # only on the error path
    position = int(np.flatnonzero(bad.to_numpy())[0])
    value = repr(cells.iloc[position])[:80]
    raise InputError(
        path,
        f"{_where(position, first_line)}: {column['name']} is {column['dataType']} but holds "
        f"{value}; expected {wanted} or null",
    )


def _is_bool(value: object) -> bool:
    return isinstance(value, bool)


def _parses(value: object) -> bool:
    return not pd.isna(pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0])


def _where(position: int, first_line: int | None) -> str:
    record = position + 1
    return f"record {record:,}" + (f" (line {first_line + position:,})" if first_line else "")
