"""Findings as columns, in report order: a sequence of `Finding` made on demand.

A table holds blocks (`trialguard.findings_block`): the findings of one check on one dataset
each.  Report order is by rule, dataset, record, USUBJID, variables and message, as
`Finding.sort_key`; it is computed on whole columns, and the message is made only for findings
that tie on everything before it.  Counting, subjects, history and waivers are read from the
columns; only iterating (or indexing) makes objects, one at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, overload

import numpy as np
import pandas as pd

from trialguard.findings_block import Block, ColumnBlock, ListBlock
from trialguard.findings_model import Finding
from trialguard.findings_order import as_met, report_order

CHUNK = 65_536  # findings made into objects (or JSON text) at a time


class FindingTable(Sequence[Finding]):
    """The findings of a rule in the order its check met them, or (`ordered`) of a whole report
    in report order."""

    def __init__(self, blocks: Iterable[Block] = (), ordered: bool = False) -> None:
        self.blocks: list[Block] = [block for block in blocks if len(block)]
        self.ordered = ordered
        self._order: tuple[np.ndarray, np.ndarray] | None = None

    @classmethod
    def of(cls, findings: Iterable[Finding] | FindingTable) -> FindingTable:
        """`findings` as a table (a table is returned as it is)."""
        if isinstance(findings, FindingTable):
            return findings
        return cls([ListBlock(list(findings))])

    @classmethod
    def joined(cls, tables: Iterable[FindingTable]) -> FindingTable:
        """One table of every finding of `tables`, in report order."""
        return cls((block for table in tables for block in table.blocks), ordered=True)

    def __len__(self) -> int:
        return sum(len(block) for block in self.blocks)

    def __bool__(self) -> bool:
        return bool(self.blocks)

    @overload
    def __getitem__(self, index: int) -> Finding: ...

    @overload
    def __getitem__(self, index: slice) -> list[Finding]: ...

    def __getitem__(self, index: int | slice) -> Finding | list[Finding]:
        blocks, positions = self.order()
        if isinstance(index, slice):
            picked = zip(blocks[index], positions[index], strict=True)
            return [self.blocks[b].finding(int(p)) for b, p in picked]
        return self.blocks[blocks[index]].finding(int(positions[index]))

    def __setitem__(self, index: int, finding: Finding) -> None:
        """Put `finding` in place of the one at `index` (the table is then held as objects)."""
        items = list(self)
        items[index] = finding
        self.blocks, self._order = [ListBlock(items)], None

    def __iter__(self) -> Iterator[Finding]:
        blocks, positions = self.order()
        for b, p in zip(blocks.tolist(), positions.tolist(), strict=True):
            yield self.blocks[b].finding(p)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __add__(self, other: Sequence[Finding]) -> list[Finding]:
        """As lists add: every finding of both, as objects."""
        return [*self, *other]

    def __radd__(self, other: Sequence[Finding]) -> list[Finding]:
        return [*other, *self]

    def __repr__(self) -> str:
        return f"FindingTable({len(self)} findings in {len(self.blocks)} blocks)"

    def head(self, count: int) -> list[Finding]:
        return self[:count]

    def by_rule(self) -> list[FindingTable]:
        """The findings of each rule, by rule id, each in report order."""
        groups: dict[str, list[Block]] = {}
        for block in self.blocks:
            if isinstance(block, ColumnBlock):
                groups.setdefault(block.rule_id, []).append(block)
                continue
            for finding in block.items:
                groups.setdefault(finding.rule_id, []).append(ListBlock([finding]))
        return [FindingTable(groups[rule], ordered=True) for rule in sorted(groups)]

    # -- report order --------------------------------------------------------------------------

    def order(self) -> tuple[np.ndarray, np.ndarray]:
        """(block, position) of each finding, in report order when `ordered`, else as met."""
        if self._order is None:
            self._order = report_order(self.blocks) if self.ordered else as_met(self.blocks)
        return self._order

    def chunks(self, size: int = CHUNK) -> Iterator[list[tuple[Block, np.ndarray, np.ndarray]]]:
        """The report order a chunk at a time: per block met, its positions and where in the
        chunk they go."""
        blocks, positions = self.order()
        for start in range(0, len(blocks), size):
            part_blocks = blocks[start : start + size]
            part_positions = positions[start : start + size]
            yield [
                (self.blocks[b], part_positions[slots], slots)
                for b in np.unique(part_blocks)
                for slots in [np.flatnonzero(part_blocks == b)]
            ]

    # -- read from the columns -----------------------------------------------------------------

    def per_finding(self, values_of: Callable[[Block], np.ndarray]) -> np.ndarray:
        """`values_of(block)` (one value per finding of the block) in report order."""
        return self._in_order([values_of(block) for block in self.blocks])

    def counting_frame(self) -> pd.DataFrame:
        """One row per finding, in order, of what counts need: rule_id, domain ("" for the
        study), severity, record (-1 for a finding about a dataset), usubjid, history, waived."""
        return pd.DataFrame(
            {
                "rule_id": self.per_finding(lambda b: constant_values(b, "rule_id")),
                "domain": self.per_finding(lambda b: constant_values(b, "domain")),
                "severity": self.per_finding(_severities),
                "record": self._in_order([block.record_keys() for block in self.blocks])
                if self
                else np.zeros(0, dtype=np.int64),
                "usubjid": self.subject_values(),
                "history": self.histories(),
                "waived": self.waived(),
            }
        ).fillna({"domain": ""})

    def identities(self) -> list[tuple]:
        """`Finding.identity` of each finding, in order, read from the columns."""
        return list(
            zip(
                self.per_finding(lambda b: constant_values(b, "rule_id")).tolist(),
                self.per_finding(lambda b: constant_values(b, "domain")).tolist(),
                self.subject_values().tolist(),
                self.per_finding(_seqs).tolist(),
                self.per_finding(lambda b: constant_values(b, "variables")).tolist(),
                strict=True,
            )
        )

    def subject_values(self) -> np.ndarray:
        """Each finding's USUBJID in report order (None where there is none)."""
        return self._in_order([block.subject_values() for block in self.blocks])

    def histories(self) -> np.ndarray:
        return self._in_order([block.histories() for block in self.blocks])

    def waived(self) -> np.ndarray:
        return self._in_order([block.waived() for block in self.blocks]).astype(bool)

    def subjects(self) -> set[str]:
        """The subjects the findings are about."""
        return {s for s in pd.unique(self.subject_values()).tolist() if s}

    def count_history(self, history: str) -> int:
        return int(np.sum(self.histories() == history)) if self else 0

    def open(self) -> FindingTable:
        """The findings no waiver accepts."""
        if not any(_has_waivers(block) for block in self.blocks):
            return self
        return self.take(~self.waived())

    def take(self, keep: np.ndarray) -> FindingTable:
        """The findings where `keep` (a mask in report order) holds."""
        blocks, positions = self.order()
        kept = []
        for number, block in enumerate(self.blocks):
            mine = keep[blocks == number]
            kept.append(block.take(positions[blocks == number][mine]))
        return FindingTable(kept, self.ordered)

    # -- marks ---------------------------------------------------------------------------------

    def copy(self) -> FindingTable:
        table = FindingTable([block.copy() for block in self.blocks], self.ordered)
        table._order = self._order
        return table

    def set_waiver(self, index: int, stamp: dict[str, Any]) -> None:
        """Mark the finding at `index` (report order) waived by `stamp`."""
        blocks, positions = self.order()
        self.blocks[blocks[index]].set_waiver(int(positions[index]), stamp)

    def set_history(self, index: int, history: str) -> None:
        blocks, positions = self.order()
        self.blocks[blocks[index]].set_history(int(positions[index]), history)

    def _in_order(self, per_block: list[np.ndarray]) -> np.ndarray:
        if not per_block:
            return np.zeros(0, dtype=object)
        blocks, positions = self.order()
        offsets = np.cumsum([0] + [len(values) for values in per_block[:-1]])
        return np.concatenate(per_block)[offsets[blocks] + positions]


def constant_values(block: Block, name: str) -> np.ndarray:
    """A field of each finding that a column block holds once (rule, dataset, variables)."""
    values = np.empty(len(block), dtype=object)
    if isinstance(block, ColumnBlock):
        values[:] = [getattr(block, name)] * len(block)
    else:
        values[:] = [getattr(f, name) for f in block.items]
    return values


def _severities(block: Block) -> np.ndarray:
    return np.array([s.value for s in constant_values(block, "severity")], dtype=object)


def _seqs(block: Block) -> np.ndarray:
    if isinstance(block, ColumnBlock):
        return block.seqs if block.seqs is not None else np.full(len(block), None, dtype=object)
    values = np.empty(len(block), dtype=object)
    values[:] = [f.seq for f in block.items]
    return values


def _has_waivers(block: Block) -> bool:
    if isinstance(block, ColumnBlock):
        return bool(block.waivers)
    return any(f.waiver is not None for f in block.items)
