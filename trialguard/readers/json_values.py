"""Dataset-JSON rows into a frame, each column typed by its declared `dataType`.

Text types (string, date, datetime, time, URI) hold strings or null; integer holds whole JSON
numbers, float and double any JSON number a double can hold; decimal holds finite numbers
written as strings (or numbers); boolean becomes the text `true` / `false`.  A value of another
type is an InputError naming the record and column.
Numbers become floats with NaN for null, as the SAS readers give them.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    typer = TYPERS.get(kind, _numbers)
    return typer(_Column(path, column, cells, first_line))


@dataclass(frozen=True)
class _Column:
    path: Path
    metadata: dict
    cells: pd.Series
    first_line: int | None

    @property
    def inferred(self) -> str:
        return pd.api.types.infer_dtype(self.cells, skipna=True)

    def expect(self, holds: bool, fits, wanted: str) -> None:
        _expect(self.path, self.metadata, self.cells, holds, fits, wanted, self.first_line)


def _text(column: _Column) -> pd.Series:
    column.expect(column.inferred in ("string", "empty"), lambda v: isinstance(v, str), "a string")
    return column.cells


def _boolean(column: _Column) -> pd.Series:
    column.expect(column.inferred in ("boolean", "empty"), _is_bool, "true or false")
    return column.cells.map({True: "true", False: "false"})


def _decimal(column: _Column) -> pd.Series:
    cells = column.cells
    numbers = pd.to_numeric(cells.where(~cells.map(_is_bool)), errors="coerce").astype("float64")
    column.expect(bool((np.isfinite(numbers) | cells.isna()).all()), _finite_decimal,
                  "a finite decimal number")  # fmt: skip
    return numbers


def _numbers(column: _Column) -> pd.Series:
    """integer, float, double: JSON numbers (an integer without a fraction), within a double."""
    whole = column.metadata["dataType"] == "integer"
    kinds = ("integer", "empty") if whole else NUMBER_KINDS
    column.expect(column.inferred in kinds, lambda v: _number(v, whole),
                  "a whole number" if whole else "a number")  # fmt: skip
    try:
        numbers = column.cells.astype("float64")
    except OverflowError:
        column.expect(False, lambda v: abs(v) < 1e308, "a number a double can hold")
        raise
    return numbers


def _number(value: object, whole: bool) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return isinstance(value, int) if whole else True


def _finite_decimal(value: object) -> bool:
    return not _is_bool(value) and bool(np.isfinite(_parsed(value)))


TYPERS = {
    **dict.fromkeys(TEXT_TYPES, _text),
    "boolean": _boolean,
    "decimal": _decimal,
}


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


def _parsed(value: object) -> float:
    return float(pd.to_numeric(pd.Series([value]), errors="coerce").astype("float64").iloc[0])


def _where(position: int, first_line: int | None) -> str:
    record = position + 1
    return f"record {record:,}" + (f" (line {first_line + position:,})" if first_line else "")
