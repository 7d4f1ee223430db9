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


# kwargs that say how GX runs an expectation, not what the values must be
RUN_KWARGS = ("result_format", "include_config", "catch_exceptions", "meta", "condition_parser")


def bounds(expectation: dict[str, Any]) -> str:
    """What the values must be, from the kwargs other than the columns: `value_set 'F', 'M'`,
    `min_value 18, max_value 65`, `regex '^S1-'`; empty when the expectation gives none."""
    kwargs = expectation.get("kwargs") or {}
    left_out = {*COLUMN_KWARGS, *LIST_KWARGS, *RUN_KWARGS}
    given = {k: v for k, v in kwargs.items() if k not in left_out and v is not None}
    return ", ".join(f"{key} {_shown(value)}" for key, value in given.items())


def _shown(value: Any) -> str:
    if isinstance(value, dict) and set(value) == {"$PARAMETER"}:
        return f"${value['$PARAMETER']}"
    if isinstance(value, list | tuple | set):
        every = [_shown(v) for v in value]
        more = f" and {len(every) - SHOWN} more" if len(every) > SHOWN else ""
        return ", ".join(every[:SHOWN]) + more
    if isinstance(value, str):
        return f"'{value}'"
    return str(value)


SHOWN = 10  # values of a set listed before "and N more"
