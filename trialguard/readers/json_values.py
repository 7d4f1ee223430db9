"""Dataset-JSON rows into a frame, each column typed by its declared `dataType`.

Text types (string, date, datetime, time, URI) hold strings or null, and a string must be
Unicode text (no lone UTF-16 surrogate, which a `\\ud800` escape can write); integer holds
whole JSON numbers, float and double any JSON number a double can hold (1e400 is refused, not
read as infinity); decimal holds finite numbers within a double written as strings (or
numbers); boolean becomes the text `true` / `false`.  A value of another type is an InputError
naming the record and column.
Numbers become floats with NaN for null, as the SAS readers give them.
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from trialguard.errors import InputError
from trialguard.readers.dataset import blank_to_missing, number_records

TEXT_TYPES = ("string", "date", "datetime", "time", "URI")
NUMBER_KINDS = ("integer", "floating", "mixed-integer-float", "empty", "decimal")
MAX_DOUBLE = sys.float_info.max
WITHIN_A_DOUBLE = "a double can hold (at most ±1.8e308)"
SURROGATE = re.compile("[\ud800-\udfff]")
UNICODE_TEXT = (
    "Unicode text (a \\ud800-\\udfff escape stands for half a character and must be paired)"
)


def typed_frame(
    path: Path, columns: list[dict], rows: list, first_line: int | None
) -> pd.DataFrame:
    """The frame of `rows` (emptied as they are typed: a parsed document costs several times
    its frame)."""
    width = len(columns)
    sizes = np.fromiter((len(r) if isinstance(r, list) else -1 for r in rows), int, len(rows))
    wrong = np.flatnonzero(sizes != width)
    if wrong.size:
        count = sizes[wrong[0]]
        held = "is not a list of values" if count < 0 else f"holds {count} values"
        where = _where(int(wrong[0]), first_line)
        raise InputError(path, f"{where} {held}; the metadata declares {width} columns")
    count = len(rows)
    values = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    rows.clear()  # the row lists freed: each value is now held by its column alone
    values.reverse()
    data = {}
    for column in columns:  # each column's values freed once typed
        data[column["name"]] = _typed(
            path, column, pd.Series(values.pop(), dtype=object), first_line
        )
    frame = pd.DataFrame(data, index=pd.RangeIndex(count))
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
    column.expect(_no_surrogate(column.cells), _no_surrogate_in, UNICODE_TEXT)
    return column.cells


def _no_surrogate(cells: pd.Series) -> bool:
    """Whether no value holds a lone UTF-16 surrogate (JSON lets `"\\ud800"` be written; it is
    no character, no UTF-8 text can hold it, and the length rules measure UTF-8 bytes)."""
    try:
        "".join(cells.dropna().tolist()).encode("utf-8")
    except UnicodeEncodeError:  # UTF-8 holds every character but a surrogate
        return False
    return True


def _no_surrogate_in(value: object) -> bool:
    return not isinstance(value, str) or SURROGATE.search(value) is None


def _boolean(column: _Column) -> pd.Series:
    column.expect(column.inferred in ("boolean", "empty"), _is_bool, "true or false")
    return column.cells.map({True: "true", False: "false"})


def _decimal(column: _Column) -> pd.Series:
    cells = column.cells
    numbers = _doubles(cells.where(~cells.map(_is_bool)))
    column.expect(bool((np.isfinite(numbers) | cells.isna()).all()), _finite_decimal,
                  f"a finite decimal number {WITHIN_A_DOUBLE}")  # fmt: skip
    return numbers


def _doubles(cells: pd.Series) -> pd.Series:
    """Numbers and numeric strings as doubles (NaN for anything else); an integer too large for
    a double becomes an infinity, for the caller to refuse like any number beyond a double."""
    try:
        return pd.to_numeric(cells, errors="coerce").astype("float64")
    except OverflowError:  # only on this path: pandas cannot convert a Python int past 1.8e308
        return pd.to_numeric(cells.map(_beyond_as_infinite), errors="coerce").astype("float64")


def _beyond_as_infinite(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_DOUBLE:
        return math.inf if value > 0 else -math.inf
    return value


def _numbers(column: _Column) -> pd.Series:
    """integer, float, double: JSON numbers (an integer without a fraction), within a double."""
    whole = column.metadata["dataType"] == "integer"
    kinds = ("integer", "empty") if whole else NUMBER_KINDS
    column.expect(column.inferred in kinds, lambda v: _number(v, whole),
                  "a whole number" if whole else "a number")  # fmt: skip
    try:
        numbers = column.cells.astype("float64")
    except OverflowError:
        column.expect(False, lambda v: abs(v) <= MAX_DOUBLE, f"a number {WITHIN_A_DOUBLE}")
        raise
    # A JSON number past a double's range (1e400) is parsed as an infinity (JSON has none).
    column.expect(not np.isinf(numbers).any(), _not_infinite, f"a number {WITHIN_A_DOUBLE}")
    return numbers


def _not_infinite(value: object) -> bool:
    return not (isinstance(value, float) and math.isinf(value))


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
    value = _shown(cells.iloc[position])
    raise InputError(
        path,
        f"{_where(position, first_line)}: {column['name']} is {column['dataType']} but holds "
        f"{value}; expected {wanted} or null",
    )


def _is_bool(value: object) -> bool:
    return isinstance(value, bool)


def _parsed(value: object) -> float:
    return float(_doubles(pd.Series([value], dtype=object)).iloc[0])


def _shown(value: object) -> str:
    """A value as the reason shows it: an infinity is what a JSON number too large for a double
    (1e400) becomes when parsed, so it is said so; an integer past a double, by its length."""
    if isinstance(value, float) and math.isinf(value):
        return f"a number beyond a double (read as {value})"
    if isinstance(value, int) and abs(value) > MAX_DOUBLE:
        return f"an integer of {len(str(abs(value))):,} digits"
    return repr(value)[:80]


def _where(position: int, first_line: int | None) -> str:
    record = position + 1
    return f"record {record:,}" + (f" (line {first_line + position:,})" if first_line else "")
