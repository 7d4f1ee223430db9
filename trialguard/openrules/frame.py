"""The table a rule's Check runs on: one dataset's records (with the columns of the datasets
matched to it, and the operations' results), and how the rule's names resolve on it.

`--` in a name stands for the dataset's variable prefix (AE in AE and SUPPAE's parent, QS in
QSCO); `$name` is an operation's result.  Text is compared as written, an empty text value and
a missing number both count as empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from trialguard.openrules.joined import Codes, Joined, Table, as_frame, rows_of


class MissingVariable(Exception):
    """A variable the Check names is not in the dataset: the rule does not apply to it."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


@dataclass
class Caches:
    """What is derived from one table's columns: kept for the run and shared by every rule
    reading the same table (the dataset as read, or one join of it), else the rule's own.
    `read` gives the run's codes of a column of the dataset as read (None: factorise here);
    with `objects`, of a column of any type (else of text and numbers only)."""

    columns: dict[str, pd.Series] = field(default_factory=dict)
    texts: dict[str, pd.Series] = field(default_factory=dict)
    codes: dict[str, Codes | None] = field(default_factory=dict)
    read: Callable[[str], Codes | None] | None = None
    objects: bool = False
    derived: dict[tuple[Any, ...], Any] = field(default_factory=dict)  # operators' own


@dataclass
class RuleFrame:
    table: Table  # indexed by the checked dataset's record numbers (a join kept as positions)
    dataset: str  # the dataset checked: AE, QSCO, SUPPAE
    prefix: str  # what `--` stands for
    operations: dict[str, Any] = field(default_factory=dict)  # $id -> Series or value
    caches: Caches = field(default_factory=Caches)  # of the data's columns
    _texts: dict[str, pd.Series] = field(default_factory=dict)  # of the operations' results
    _frame: pd.DataFrame | None = None

    @property
    def index(self) -> pd.Index:
        return self.table.index

    @property
    def columns(self) -> pd.Index:
        return self.table.columns

    @property
    def data(self) -> pd.DataFrame:
        """The table as a DataFrame (a join taken whole: for the rule only, and rarely)."""
        if self._frame is None:
            self._frame = as_frame(self.table)
        return self._frame

    def raw(self, name: str) -> pd.Series:
        """A column of the table as it is (not `as_read`)."""
        return self.table[name]

    def rows(self, mask: Any) -> pd.DataFrame:
        """The rows a boolean mask keeps, every column."""
        return rows_of(self.table, mask)

    def name(self, raw: Any) -> str:
        text = str(raw)
        return self.prefix + text[2:] if text.startswith("--") else text

    def has(self, raw: Any) -> bool:
        name = self.name(raw)
        return name in self.table.columns or name in self.operations

    def column(self, raw: Any) -> pd.Series:
        """A variable (or an operation's result) as a column of the frame."""
        name = self.name(raw)
        if name in self.table.columns:
            if name not in self.caches.columns:
                self.caches.columns[name] = as_read(self.table[name])
            return self.caches.columns[name]
        if name in self.operations:
            return self.broadcast(self.operations[name])
        raise MissingVariable(name)

    def broadcast(self, value: Any) -> pd.Series:
        if isinstance(value, pd.Series):
            return value.reindex(self.index) if not value.index.equals(self.index) else value
        if isinstance(value, list | tuple | set | frozenset):
            column = pd.Series([None] * len(self.index), index=self.index, dtype=object)
            column[:] = [value] * len(self.index) if len(self.index) else []
            return column
        return pd.Series([value] * len(self.index), index=self.index, dtype=object)

    def text(self, raw: Any) -> pd.Series:
        """A column as text: numbers as written without a trailing .0, empty as ''."""
        name = self.name(raw)
        texts = self.caches.texts if name in self.table.columns else self._texts
        if name not in texts:
            texts[name] = as_text(self.column(raw))
        return texts[name]

    def codes(self, raw: Any) -> Codes | None:
        """A data column factorised: a code per row and the distinct values (as `column`
        gives them, the missing value among them); None for an operation's result or a
        column of unhashable cells."""
        name = self.name(raw)
        if name not in self.table.columns:
            return None
        if name not in self.caches.codes:
            self.caches.codes[name] = self._codes(name)
        return self.caches.codes[name]

    def _codes(self, name: str) -> Codes | None:
        table = self.table
        kind = table.dtype(name) if isinstance(table, Joined) else table[name].dtype
        plain = isinstance(kind, pd.StringDtype) or is_float(kind)
        read = self.caches.read if plain or self.caches.objects else None
        found = read(name) if read is not None else None
        if found is not None:
            return found[0], as_read(found[1].astype(kind))
        if not plain:
            return None  # objects: 1, 1.0 and True would be one value
        codes, uniques = pd.factorize(table[name], use_na_sentinel=True)
        missing = np.full(1, None, dtype=object)
        distinct = pd.Series(np.concatenate([np.asarray(uniques, dtype=object), missing]))
        return np.where(codes < 0, len(uniques), codes), as_read(distinct.astype(kind))

    def empty(self, raw: Any) -> pd.Series:
        return self.text(raw).str.strip() == ""


def is_float(kind: Any) -> bool:
    return bool(pd.api.types.is_float_dtype(kind))


def as_read(column: pd.Series) -> pd.Series:
    """A column as the rules compare it: a double to 15 significant digits, as CORE reads an
    XPT number (0.039999999999999994 is 0.04, 1.2000000000000002 is 1.2); else as it is."""
    if not pd.api.types.is_float_dtype(column.dtype):
        return column
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    rounded = np.array([float(f"{value:.15g}") for value in uniques.tolist()], dtype=float)
    if np.array_equal(rounded, np.asarray(uniques, dtype=float)):
        return column
    values = np.where(codes < 0, np.nan, rounded[codes] if len(rounded) else np.nan)
    return pd.Series(values, index=column.index, name=column.name)


def as_text(column: pd.Series) -> pd.Series:
    """Text of each value ('' for a missing one); whole floats without '.0'."""
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column):
        numbers = pd.to_numeric(column, errors="coerce").astype(float)
        whole = np.isfinite(numbers) & (numbers == np.round(numbers)) & (numbers.abs() < 1e15)
        shown = numbers.astype(str)
        shown[whole] = numbers[whole].astype("int64").astype(str)
        shown[numbers.isna()] = ""
        return shown.astype(object)
    if column.dtype == object:
        missing = column.isna()
        shown = column.astype(str)
        shown[missing] = ""
        return shown
    return column.astype("string").fillna("").astype(object)
