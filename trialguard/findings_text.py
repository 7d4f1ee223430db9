"""A finding's message and JSON text, made for whole columns at once.

A message template (`"{AESTDY} is not {expected}"`) is cut into its literal text and its
placeholders; each placeholder is filled once per distinct value of the column it reads (or
once, for a rule parameter), and the pieces are joined row by row.  Filling a placeholder alone
gives what filling the whole template gives, piece for piece, so a message made here is the one
`str.format_map` makes for one finding; JSON escaping is per character, so the escaped pieces
join into the escaped message.
"""

from __future__ import annotations

import json
import string
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from trialguard.scalars import plain


class Fields(dict):
    """Message fields: a missing value reads '(empty)', an unknown placeholder stays visible."""

    def __getitem__(self, key: str) -> Any:
        if key not in self:
            return "{" + key + "}"
        value = super().__getitem__(key)
        return "(empty)" if value is None else value


def message_fields(template: str) -> list[str]:
    """The placeholder names of a message template, in order, each once."""
    names = [name for _, name, _, _ in string.Formatter().parse(template) if name]
    return list(dict.fromkeys(names))


def json_ready(value: Any) -> Any:
    """A message field as the finding's `context` holds it."""
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return plain(value)


def json_text(value: Any) -> str:
    """Strict JSON as the report writes it (no NaN or Infinity token)."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def escaped(text: str) -> str:
    """`text` as it stands inside a JSON string (without the quotes)."""
    return json_text(text)[1:-1]


@dataclass(frozen=True)
class Piece:
    """Literal text, then one replacement field (`field` as written: "{AESTDY:>3}") or none."""

    literal: str
    name: str | None = None
    field: str = ""

    def filled(self, value: Any, present: bool = True) -> str:
        """The field filled with `value` (`present` False: the name has no value at all)."""
        return self.field.format_map(Fields({self.name: value} if present else {}))


def pieces(template: str) -> list[Piece] | None:
    """The template cut into pieces; None when a field reads more than a name (an index, an
    attribute, a nested width), which only whole-template formatting fills."""
    cut = []
    for literal, name, spec, conversion in string.Formatter().parse(template):
        if name is None:
            cut.append(Piece(literal))
            continue
        if not _plain_name(name) or (spec and "{" in spec):
            return None
        field = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
        cut.append(Piece(literal, name, field + "}"))
    return cut


def _plain_name(name: str) -> bool:
    """A field name `format_map` looks up whole ("AESTDY", "first EXSTDTC"): not a position,
    an attribute or an index."""
    return bool(name) and not name.isdigit() and "." not in name and "[" not in name


@dataclass
class Slot:
    """One varying part of a finding's text: which of `texts` each row holds."""

    codes: np.ndarray
    texts: np.ndarray  # object array of str

    def at(self, positions: np.ndarray) -> np.ndarray:
        return self.texts[self.codes[positions]]


def constant_slot(text: str, size: int) -> Slot:
    return Slot(np.zeros(size, dtype=np.intp), np.array([text], dtype=object))


def texts(values: Sequence[Any]) -> np.ndarray:
    """`values` as an object array (never a 2-D one, whatever they hold)."""
    array = np.empty(len(values), dtype=object)
    array[:] = list(values)
    return array


def percent_safe(text: str) -> str:
    return text.replace("%", "%%")


def joined(pattern: str, slots: Sequence[Slot], positions: np.ndarray) -> list[str]:
    """`pattern` (literal text with one %s per slot) filled for each of `positions`."""
    if not slots:
        return [pattern.replace("%%", "%")] * len(positions)
    columns = [slot.at(positions) for slot in slots]
    return [pattern % row for row in zip(*columns, strict=True)]
