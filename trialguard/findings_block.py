"""The findings of one rule on one dataset as columns: record numbers, the offending values
(the dataset's own, taken once), one message template and its fields.  A `Finding` object is
made only when one is asked for; the report writers read the columns.

`ListBlock` holds findings that already are objects (read back from a previous report, kept
by a filter, built by a test) behind the same interface.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from trialguard.findings_model import Finding, Severity
from trialguard.findings_text import (
    Fields,
    Slot,
    escaped,
    joined,
    json_ready,
    message_fields,
    percent_safe,
    pieces,
    texts,
)
from trialguard.scalars import plain

SUBJECT = "\x00USUBJID"  # the plain-values cache key of the subject column


def plain_column(column: pd.Series | np.ndarray) -> tuple[np.ndarray, list[Any]]:
    """(codes, plain uniques): `plain` of each distinct value, and which one each row holds.
    Equal values are one distinct value (1 and 1.0: both plain 1), but True equals 1 and is
    plain True: an object column mixing booleans with numbers is made plain row by row."""
    try:
        codes, uniques = pd.factorize(column, use_na_sentinel=False)
    except TypeError:  # values no hash can key (a list a check put in a cell)
        return _row_by_row(column)
    values = uniques.tolist() if hasattr(uniques, "tolist") else list(uniques)
    kinds = {type(v) for v in values}
    if kinds & BOOLEANS and kinds & NUMBERS:
        return _row_by_row(column)
    return codes.astype(np.intp, copy=False), [plain(v) for v in values]


def _row_by_row(column: pd.Series | np.ndarray) -> tuple[np.ndarray, list[Any]]:
    rows = column.tolist() if hasattr(column, "tolist") else list(column)
    return np.arange(len(rows), dtype=np.intp), [plain(v) for v in rows]


BOOLEANS = {bool, np.bool_}
NUMBERS = {int, float, np.int64, np.int32, np.float64, np.float32, np.int8, np.int16}


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def is_missing(value: Any) -> bool:
    """NaN or pd.NA, as pandas gives a missing value among distinct values."""
    return _is_nan(value) or value is pd.NA


@dataclass
class ColumnBlock:
    """The findings one check reported on one dataset (one `Hits`), as columns."""

    rule_id: str
    severity: Severity
    kind: str
    domain: str | None
    variables: tuple[str, ...]
    template: str
    given: dict[str, Any]
    dataset_level: bool
    records: np.ndarray  # int64 record numbers (unused when dataset_level)
    values: pd.DataFrame  # the shown columns, as the dataset holds them, positional index
    subjects: pd.Series | None  # USUBJID as the dataset holds it
    days: np.ndarray  # object: the protocol day of each finding, or None
    seqs: np.ndarray | None = None  # object: each record's --SEQ, plain
    lines: np.ndarray | None = None  # object: each record's CSV line
    history: np.ndarray | None = None  # object: "new" / "persisting" / None
    waivers: dict[int, dict[str, Any]] = field(default_factory=dict)
    _plain: dict[str, tuple[np.ndarray, list[Any]]] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.records)

    def plain(self, name: str) -> tuple[np.ndarray, list[Any]]:
        """(codes, plain uniques) of a shown column, or of the subjects (SUBJECT)."""
        if name not in self._plain:
            column = self.values[name] if name != SUBJECT else self.subjects
            if column is None:
                raise KeyError(name)
            self._plain[name] = plain_column(column)
        return self._plain[name]

    def plain_at(self, name: str, position: int) -> Any:
        codes, uniques = self.plain(name)
        return uniques[codes[position]]

    def subject_at(self, position: int) -> Any:
        return None if self.subjects is None else self.plain_at(SUBJECT, position)

    def subject_values(self) -> np.ndarray:
        """Each finding's USUBJID, plain (None where there is none)."""
        if self.subjects is None:
            return np.full(len(self), None, dtype=object)
        codes, uniques = self.plain(SUBJECT)
        return texts(uniques)[codes] if uniques else np.full(len(self), None, dtype=object)

    def record_keys(self) -> np.ndarray:
        """Record numbers for sorting (-1 for a finding about the dataset)."""
        if self.dataset_level:
            return np.full(len(self), -1, dtype=np.int64)
        return self.records.astype(np.int64, copy=False)

    def finding(self, position: int) -> Finding:
        values = {name: self.plain_at(name, position) for name in self.values.columns}
        fields = Fields({**self.given, **values})
        if len(self.variables) == 1:
            fields["value"] = values.get(self.variables[0])
        return Finding(
            rule_id=self.rule_id,
            severity=self.severity,
            domain=self.domain,
            usubjid=self.subject_at(position),
            record=None if self.dataset_level else int(self.records[position]),
            variables=self.variables,
            values=values,
            message=self.template.format_map(fields),
            protocol_day=self.days[position],
            seq=None if self.seqs is None else self.seqs[position],
            history=None if self.history is None else self.history[position],
            waiver=self.waivers.get(position),
            line=None if self.lines is None else self.lines[position],
            kind=self.kind,
            context={name: json_ready(fields[name]) for name in message_fields(self.template)},
        )

    # -- where a placeholder's value comes from ------------------------------------------------

    def _source(self, name: str) -> tuple[str, Any]:
        """("column", name), ("constant", value) or ("missing", None) for a message field."""
        if name == "value" and len(self.variables) == 1:
            variable = self.variables[0]
            if variable in self.values.columns:
                return "column", variable
            return "constant", None
        if name in self.values.columns:
            return "column", name
        if name in self.given:
            return "constant", self.given[name]
        return "missing", None

    def message_plan(self, json: bool) -> tuple[str, list[Slot]] | None:
        """The message as a %-pattern and its slots (JSON-escaped when `json`); None when the
        template needs whole-template formatting."""
        cut = pieces(self.template)
        if cut is None:
            return None
        escape = escaped if json else (lambda text: text)
        pattern, slots = "", []
        for piece in cut:
            pattern += percent_safe(escape(piece.literal))
            if piece.name is None:
                continue
            where, what = self._source(piece.name)
            if where == "column":
                codes, uniques = self.plain(what)
                slots.append(Slot(codes, texts([escape(piece.filled(u)) for u in uniques])))
                pattern += "%s"
            else:
                pattern += percent_safe(escape(piece.filled(what, where == "constant")))
        return pattern, slots

    def messages(self, positions: np.ndarray) -> list[str]:
        plan = self.message_plan(json=False)
        if plan is None:
            return [self.finding(int(p)).message for p in positions]
        pattern, slots = plan
        return joined(pattern, slots, positions)

    # -- copies --------------------------------------------------------------------------------

    def take(self, positions: np.ndarray) -> ColumnBlock:
        """The findings at `positions`, in that order."""
        kept = {int(p): n for n, p in enumerate(positions)}
        return dataclasses.replace(
            self,
            records=self.records[positions],
            values=self.values.iloc[positions].reset_index(drop=True),
            subjects=None
            if self.subjects is None
            else self.subjects.iloc[positions].reset_index(drop=True),
            days=self.days[positions],
            seqs=None if self.seqs is None else self.seqs[positions],
            lines=None if self.lines is None else self.lines[positions],
            history=None if self.history is None else self.history[positions],
            waivers={kept[p]: w for p, w in self.waivers.items() if p in kept},
            _plain={},
        )

    def copy(self) -> ColumnBlock:
        history = None if self.history is None else self.history.copy()
        return dataclasses.replace(self, history=history, waivers=dict(self.waivers))

    def set_waiver(self, position: int, stamp: dict[str, Any]) -> None:
        self.waivers[position] = stamp

    def set_history(self, position: int, history: str) -> None:
        if self.history is None:
            self.history = np.full(len(self), None, dtype=object)
        self.history[position] = history

    def histories(self) -> np.ndarray:
        return np.full(len(self), None, dtype=object) if self.history is None else self.history

    def waived(self) -> np.ndarray:
        marked = np.zeros(len(self), dtype=bool)
        marked[list(self.waivers)] = True
        return marked


class ListBlock:
    """Findings that already are objects, behind the interface of `ColumnBlock`."""

    def __init__(self, findings: list[Finding]) -> None:
        self.items = findings

    def __len__(self) -> int:
        return len(self.items)

    def finding(self, position: int) -> Finding:
        return self.items[position]

    def messages(self, positions: np.ndarray) -> list[str]:
        return [self.items[p].message for p in positions]

    def subject_values(self) -> np.ndarray:
        return texts([f.usubjid for f in self.items])

    def record_keys(self) -> np.ndarray:
        return np.array([-1 if f.record is None else f.record for f in self.items], dtype=np.int64)

    def take(self, positions: np.ndarray) -> ListBlock:
        return ListBlock([self.items[p] for p in positions])

    def copy(self) -> ListBlock:
        return ListBlock(list(self.items))

    def set_waiver(self, position: int, stamp: dict[str, Any]) -> None:
        self.items[position] = dataclasses.replace(self.items[position], waiver=stamp)

    def set_history(self, position: int, history: str) -> None:
        self.items[position] = dataclasses.replace(self.items[position], history=history)

    def histories(self) -> np.ndarray:
        return texts([f.history for f in self.items])

    def waived(self) -> np.ndarray:
        return np.array([f.waiver is not None for f in self.items], dtype=bool)


Block = ColumnBlock | ListBlock
