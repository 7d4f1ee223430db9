"""A join of datasets held as row positions, not as a table: for each dataset joined, the row
of it each joined row takes.  A column is taken from its dataset the first time a rule reads
it (and kept for the run); the codes of a dataset's column, known for the run, are taken to
the joined rows the same way, so no column of a million joined rows is factorised again.

AE joined to DM holds two arrays of positions instead of forty columns of a million rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

Codes = tuple[np.ndarray, pd.Series]  # a code per row, and the distinct value of each code
CodesOf = Callable[[str], Codes | None]


@dataclass(frozen=True)
class Part:
    """One dataset of the join: its table, the row of it each joined row takes (None: every
    row, in order), the joined name of each column it gives, and its columns' run codes."""

    table: pd.DataFrame
    rows: np.ndarray | None
    names: dict[str, str]  # joined name -> the table's column
    codes: CodesOf | None = None

    def taken(self, positions: np.ndarray) -> Part:
        rows = positions if self.rows is None else self.rows[positions]
        return Part(self.table, rows, self.names, self.codes)


class Joined:
    """The joined rows (indexed by the checked dataset's record numbers) and their columns,
    read like a DataFrame's: `columns`, `joined[name]`, `joined[mask]`, `len`, `index`."""

    def __init__(self, index: pd.Index, parts: list[Part]) -> None:
        self.index = index
        self.parts = parts
        self.sources = {name: part for part in parts for name in part.names}
        self.columns = pd.Index(list(self.sources), dtype=object)
        self._taken: dict[str, pd.Series] = {}

    @classmethod
    def of(cls, table: pd.DataFrame, codes: CodesOf | None = None) -> Joined:
        """A table as a join of itself alone."""
        return cls(table.index, [Part(table, None, {str(c): str(c) for c in table.columns}, codes)])

    def __len__(self) -> int:
        return len(self.index)

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.index), len(self.columns)

    @property
    def empty(self) -> bool:
        return len(self.index) == 0 or len(self.columns) == 0

    def __getitem__(self, key: Any) -> Any:
        """A column by name; columns by a list of names (a DataFrame); the rows a boolean
        mask keeps (a Joined)."""
        if isinstance(key, str):
            return self.column(key)
        if isinstance(key, list) and all(isinstance(k, str) for k in key):
            return pd.DataFrame({k: self.column(k) for k in key}, index=self.index)
        return self.taken(np.flatnonzero(np.asarray(key, dtype=bool)))

    def column(self, name: str) -> pd.Series:
        """A column, taken on first use and kept."""
        if name not in self._taken:
            self._taken[name] = self._values(name).set_axis(self.index).rename(name)
        return self._taken[name]

    def _values(self, name: str) -> pd.Series:
        if name in self._taken:
            return self._taken[name].reset_index(drop=True)
        part = self.sources[name]
        values = part.table[part.names[name]]
        taken = values if part.rows is None else values.take(part.rows)
        return taken.reset_index(drop=True)

    def dtype(self, name: str) -> Any:
        part = self.sources[name]
        return part.table[part.names[name]].dtype

    def codes(self, name: str) -> Codes | None:
        """The run's codes of the column's dataset column, taken to the joined rows."""
        part = self.sources[name]
        found = part.codes(part.names[name]) if part.codes is not None else None
        if found is None or part.rows is None:
            return found
        return found[0][part.rows], found[1]

    def taken(self, positions: np.ndarray) -> Joined:
        """The joined rows at these positions."""
        return Joined(self.index.take(positions), [p.taken(positions) for p in self.parts])

    def with_part(self, part: Part) -> Joined:
        return Joined(self.index, [*self.parts, part])

    def frame(self, mask: Any = None) -> pd.DataFrame:
        """The join as a table (the rows a boolean mask keeps, else all of them)."""
        joined = self if mask is None else self[mask]
        columns = {name: joined._values(name) for name in joined.columns}
        return pd.DataFrame(columns, index=pd.RangeIndex(len(joined))).set_axis(joined.index)


Table = pd.DataFrame | Joined


def rows_of(data: Table, mask: Any) -> pd.DataFrame:
    """The rows a boolean mask keeps, as a table."""
    if isinstance(data, Joined):
        return data.frame(mask)
    return data.loc[mask]


def as_frame(data: Table) -> pd.DataFrame:
    return data.frame() if isinstance(data, Joined) else data
