"""The Check operators of the rule format, each a function of the rule frame and the check
item giving True for every record the item holds on, over whole columns.

`operators()` gives every operator by name: the modules of this package register theirs
in `registry.OPERATORS` when imported.
"""

from __future__ import annotations

from trialguard.openrules.operators.registry import OPERATORS, OperatorFunction


def operators() -> dict[str, OperatorFunction]:
    from trialguard.openrules.operators import (  # noqa: F401  (they fill OPERATORS)
        dates,
        ordering,
        presence,
        relational,
        sets,
        strings,
        uniqueness,
    )

    return OPERATORS
