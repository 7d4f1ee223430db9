"""The registry of Check operators: each a function of the rule frame and the check item
giving True for every record the item holds on, over whole columns, under the operator
name(s) of the rule format."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from trialguard.openrules.frame import RuleFrame

Item = dict[str, Any]  # one check item: name, operator, value and the operator's parameters
OperatorFunction = Callable[[RuleFrame, Item], pd.Series]

OPERATORS: dict[str, OperatorFunction] = {}


def operator(*names: str) -> Callable[[OperatorFunction], OperatorFunction]:
    """Register a function as the operator(s) `names`."""

    def register(function: OperatorFunction) -> OperatorFunction:
        for name in names:
            if name in OPERATORS:
                raise RuntimeError(f"operator {name} registered twice")
            OPERATORS[name] = function
        return function

    return register


def complement(name: str, of: str) -> None:
    """Register `name` as the record-wise negation of operator `of`."""
    positive = OPERATORS[of]
    OPERATORS[name] = lambda frame, item: ~positive(frame, item)
