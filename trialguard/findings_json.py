"""A finding's JSON text made for a whole block of findings: one %-pattern of the constant
parts and one slot per varying part, each slot's text made once per distinct value; the line
of each finding is then one %-format (as `json.dumps(finding.to_dict())` writes it)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from trialguard.findings_block import SUBJECT, ColumnBlock, is_missing
from trialguard.findings_text import (
    Slot,
    json_ready,
    json_text,
    message_fields,
    percent_safe,
    texts,
)


def object_slot(values: np.ndarray, encode) -> Slot:
    """A slot of `encode(value)` per row, encoded once per distinct value."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
    distinct = [None if is_missing(v) else v for v in uniques.tolist()]
    return Slot(codes.astype(np.intp, copy=False), texts([encode(v) for v in distinct]))


def json_plan(block: ColumnBlock) -> tuple[str, list[Slot]] | None:
    """Each finding's JSON text (as `json.dumps(finding.to_dict())`) as a %-pattern and its
    slots; None when the message needs whole-template formatting."""
    message = block.message_plan(json=True)
    if message is None:
        return None
    size = len(block)
    parts: list[str | Slot | tuple[str, list[Slot]]] = [
        '{"rule_id": ' + json_text(block.rule_id),
        ', "severity": ' + json_text(block.severity.value),
        ', "domain": ' + json_text(block.domain),
        ', "usubjid": ',
        _subject_slot(block),
        ', "record": ',
        "null" if block.dataset_level else _IntSlot(block.records),
        ', "line": ',
        "null" if block.lines is None else object_slot(block.lines, json_text),
        ', "variables": ' + json_text(list(block.variables)),
        ', "values": ',
        *_object_parts([(name, _value_slot(block, name)) for name in block.values.columns]),
        ', "message": "',
        message,
        '", "protocol_day": ',
        object_slot(block.days, json_text),
        ', "seq": ',
        "null" if block.seqs is None else object_slot(block.seqs, json_text),
        ', "history": ',
        "null" if block.history is None else object_slot(block.history, json_text),
        ', "waiver": ',
        _waiver_slot(block, size),
        ', "kind": ' + json_text(block.kind),
        ', "context": ',
        *_object_parts(
            [(name, _context_slot(block, name)) for name in message_fields(block.template)]
        ),
        "}",
    ]
    return _plan(parts)


def _subject_slot(block: ColumnBlock) -> Slot | str:
    if block.subjects is None:
        return "null"
    codes, uniques = block.plain(SUBJECT)
    return Slot(codes, texts([json_text(u) for u in uniques]))


def _value_slot(block: ColumnBlock, name: str) -> Slot:
    codes, uniques = block.plain(name)
    return Slot(codes, texts([json_text(u) for u in uniques]))


def _context_slot(block: ColumnBlock, name: str) -> Slot | str:
    where, what = block._source(name)
    if where == "column":
        codes, uniques = block.plain(what)
        shown = [json_text(json_ready("(empty)" if u is None else u)) for u in uniques]
        return Slot(codes, texts(shown))
    if where == "constant":
        return json_text(json_ready("(empty)" if what is None else what))
    return json_text("{" + name + "}")


def _waiver_slot(block: ColumnBlock, size: int) -> Slot | str:
    if not block.waivers:
        return "null"
    stamps = ["null"]
    codes = np.zeros(size, dtype=np.intp)
    for position, stamp in block.waivers.items():
        stamps.append(json_text(stamp))
        codes[position] = len(stamps) - 1
    return Slot(codes, texts(stamps))


def _object_parts(entries: list[tuple[str, Slot | str]]) -> list[str | Slot]:
    if not entries:
        return ["{}"]
    parts: list[str | Slot] = []
    for number, (name, slot) in enumerate(entries):
        parts += [("{" if number == 0 else ", ") + json_text(name) + ": ", slot]
    return [*parts, "}"]


class _IntSlot(Slot):
    """Whole numbers written as they are, made text only for the rows asked for."""

    def __init__(self, numbers: np.ndarray) -> None:
        super().__init__(np.zeros(0, dtype=np.intp), np.zeros(0, dtype=object))
        self.numbers = numbers

    def at(self, positions: np.ndarray) -> np.ndarray:
        return texts(list(map(str, self.numbers[positions].tolist())))


def _plan(parts: Sequence[str | Slot | tuple[str, list[Slot]]]) -> tuple[str, list[Slot]]:
    pattern, slots = "", []
    for part in parts:
        if isinstance(part, str):
            pattern += percent_safe(part)
        elif isinstance(part, Slot):
            pattern += "%s"
            slots.append(part)
        else:  # an already %-safe pattern with its slots (the message)
            pattern += part[0]
            slots += part[1]
    return pattern, slots
