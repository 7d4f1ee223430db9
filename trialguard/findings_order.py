"""The order of a table's findings: as their checks met them, or report order, the order of
`Finding.sort_key` (rule, dataset, record, USUBJID, variables, message) worked out on whole
columns, the message made only for findings that tie on everything before it."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from trialguard.findings_block import Block, ColumnBlock


def as_met(blocks: list[Block]) -> tuple[np.ndarray, np.ndarray]:
    sizes = [len(block) for block in blocks]
    numbers = np.repeat(np.arange(len(blocks), dtype=np.intp), sizes)
    positions = [np.arange(size, dtype=np.intp) for size in sizes]
    return numbers, np.concatenate(positions or [np.zeros(0, dtype=np.intp)])


def report_order(blocks: list[Block]) -> tuple[np.ndarray, np.ndarray]:
    """(block, position) per finding sorted as `Finding.sort_key`, stably."""
    numbers, positions = as_met(blocks)
    if not blocks:
        return numbers, positions
    subjects = np.concatenate([block.subject_values() for block in blocks])
    ranked = {
        "rule": _ranks(_field(blocks, "rule_id")),
        "domain": _ranks(_field(blocks, "domain")),
        "record": np.concatenate([block.record_keys() for block in blocks]),
        "subject": _ranks(np.where(pd.isna(subjects), "", subjects)),
        "variables": _ranks(_field(blocks, "variables")),
    }
    ties = pd.DataFrame(ranked).duplicated(keep=False).to_numpy()
    message = np.zeros(len(numbers), dtype=np.intp)
    if ties.any():
        message[ties] = _ranks(_messages(blocks, numbers[ties], positions[ties]))
    sort_by = [message] + [ranked[name] for name in reversed(ranked)]
    order = np.lexsort(sort_by)  # stable: equal keys keep block and position order
    return numbers[order], positions[order]


def _field(blocks: list[Block], name: str) -> np.ndarray:
    """A field of every finding (rule_id, domain as "" when None, variables), block by block:
    once per column block, which holds it once."""
    parts = []
    for block in blocks:
        part = np.empty(len(block), dtype=object)
        if isinstance(block, ColumnBlock):
            part.fill(getattr(block, name))
        else:
            part[:] = [getattr(finding, name) for finding in block.items]
        parts.append(part)
    found = np.concatenate(parts)
    return np.where(pd.isna(found), "", found) if name == "domain" else found


def _ranks(values: np.ndarray | list) -> np.ndarray:
    """Each value's place among the distinct values sorted as Python sorts them."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    places = np.empty(len(uniques), dtype=np.intp)
    places[sorted(range(len(uniques)), key=lambda k: _sortable(uniques[k]))] = np.arange(
        len(uniques)
    )
    return places[codes]


def _sortable(value: Any) -> Any:
    return value if isinstance(value, tuple) else (str(value),)


def _messages(blocks: list[Block], numbers: np.ndarray, positions: np.ndarray) -> list[str]:
    """The message of each finding given by block number and position."""
    found = [""] * len(numbers)
    for number in np.unique(numbers):
        at = np.flatnonzero(numbers == number)
        for slot, text in zip(at, blocks[number].messages(positions[at]), strict=True):
            found[slot] = text
    return found
