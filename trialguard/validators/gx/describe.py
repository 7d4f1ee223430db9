"""Short texts for GX expectations: the name and the columns an expectation is about."""

from __future__ import annotations

from typing import Any

COLUMN_KWARGS = ("column", "column_A", "column_B")
LIST_KWARGS = ("column_list",)


def expectation_columns(expectation: dict[str, Any]) -> list[str]:
    """The columns an expectation's kwargs name, in order."""
    kwargs = expectation.get("kwargs") or {}
    named = [kwargs[k] for k in COLUMN_KWARGS if isinstance(kwargs.get(k), str)]
    for key in LIST_KWARGS:
        if isinstance(kwargs.get(key), list):
            named += [c for c in kwargs[key] if isinstance(c, str)]
    return list(dict.fromkeys(named))


def describe(expectation: dict[str, Any]) -> str:
    """e.g. `expect_column_values_to_be_in_set(SEX)`."""
    return f"{expectation.get('type')}({', '.join(expectation_columns(expectation))})"
