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
    if not blocks:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    keys = pd.concat([_keys(number, block) for number, block in enumerate(blocks)])
    columns = ["rule", "domain", "record", "subject", "variables"]
    ranked = {name: _ranks(keys[name]) for name in columns if name != "record"}
    ranked["record"] = keys["record"].to_numpy()
    ties = pd.DataFrame(ranked).duplicated(keep=False).to_numpy()
    message = np.zeros(len(keys), dtype=np.intp)
    if ties.any():
        message[ties] = _ranks(pd.Series(_messages(blocks, keys[ties]), dtype=object))
    sort_by = [message] + [ranked[name] for name in reversed(columns)]
    order = np.lexsort(sort_by)  # stable: equal keys keep block and position order
    return keys["block"].to_numpy()[order], keys["position"].to_numpy()[order]


def _keys(number: int, block: Block) -> pd.DataFrame:
    size = len(block)
    frame = pd.DataFrame(
        {
            "block": np.full(size, number, dtype=np.intp),
            "position": np.arange(size, dtype=np.intp),
            "record": block.record_keys(),
            "subject": block.subject_values(),
        }
    )
    if isinstance(block, ColumnBlock):
        frame["rule"], frame["domain"] = block.rule_id, block.domain or ""
        frame["variables"] = pd.Series([block.variables] * size, dtype=object)
    else:
        frame["rule"] = [f.rule_id for f in block.items]
        frame["domain"] = [f.domain or "" for f in block.items]
        frame["variables"] = pd.Series([f.variables for f in block.items], dtype=object)
    frame["subject"] = frame["subject"].where(frame["subject"].notna(), "")
    return frame


def _ranks(values: pd.Series) -> np.ndarray:
    """Each value's place among the distinct values sorted as Python sorts them."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))
    places = np.empty(len(uniques), dtype=np.intp)
    places[sorted(range(len(uniques)), key=lambda k: _sortable(uniques[k]))] = np.arange(
        len(uniques)
    )
    return places[codes]


def _sortable(value: Any) -> Any:
    return value if isinstance(value, tuple) else (str(value),)


def _messages(blocks: list[Block], keys: pd.DataFrame) -> list[str]:
    found = [""] * len(keys)
    numbers, positions = keys["block"].to_numpy(), keys["position"].to_numpy()
    for number in np.unique(numbers):
        at = np.flatnonzero(numbers == number)
        for slot, text in zip(at, blocks[number].messages(positions[at]), strict=True):
            found[slot] = text
    return found
