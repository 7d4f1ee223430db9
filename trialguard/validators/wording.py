"""Message templates that name a record's own values: placeholders for the variables a finding
shows, literal text escaped so that `str.format` leaves it as written."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

PLACEHOLDER_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
SHOWN_VALUES = 5  # values listed in a message before "and N more"


def escaped(text: str) -> str:
    """`text` as literal template text: braces doubled."""
    return text.replace("{", "{{").replace("}", "}}")


def can_hold(name: str) -> bool:
    """Whether `name` can be a placeholder (`str.format` reads `.` and `[` as lookups)."""
    return PLACEHOLDER_NAME.fullmatch(name) is not None


def value_of(frame: pd.DataFrame, column: str) -> str:
    """The placeholder of a column's value in a record: quoted for text, bare for numbers."""
    if pd.api.types.is_numeric_dtype(frame[column]):
        return "{" + column + "}"
    return "'{" + column + "}'"


def named_value(frame: pd.DataFrame, column: str) -> str:
    """`VISITNUM {VISITNUM}`, `VISIT '{VISIT}'`: a variable and its value in a record."""
    return f"{escaped(column)} {value_of(frame, column)}"


def listed(values: Iterable[str], most: int = SHOWN_VALUES) -> str:
    """'A', 'B', 'C' and 2 more: values quoted, at most `most` of them."""
    every = list(values)
    shown = ", ".join(f"'{v}'" for v in every[:most])
    return shown + (f" and {len(every) - most} more" if len(every) > most else "")


def joined(phrases: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(phrases) < 2:
        return "".join(phrases)
    return ", ".join(phrases[:-1]) + " and " + phrases[-1]


def key_values(frame: pd.DataFrame, columns: list[str]) -> str:
    """`USUBJID '{USUBJID}' + VISITNUM {VISITNUM}`: a record's values of a key, as placeholders
    (a name that cannot be one is shown without its value)."""
    return " + ".join(
        named_value(frame, c) if can_hold(c) and c in frame.columns else escaped(c) for c in columns
    )
