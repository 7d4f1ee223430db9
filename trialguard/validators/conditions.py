"""Tests on one variable of a record, as the spec writes them, evaluated on whole columns.

A variable is named as in the data (`AESER`), with the domain prefix left open (`--DOSE`:
EXDOSE in EX, AEDOSE in AE) or as the subject's DM value (`DM.DTHFL`).  Empty values are
missing: `equals`/`in` never hold on them, `not_in`/`differs_from` always do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
from pydantic import ConfigDict, Field, model_validator

from trialguard.distinct import per_distinct
from trialguard.validators.registry import NoParams

TESTS = (
    "equals",
    "in_",
    "not_in",
    "populated",
    "populated_as",
    "differs_from",
    "at_most",
    "at_least",
)


class Test(NoParams):
    """Exactly one of: equals, in, not_in, populated, populated_as, differs_from, at_most
    (another variable, as numbers) or at_least (a number)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    equals: str | None = Field(default=None, min_length=1)
    in_: list[str] | None = Field(default=None, alias="in")
    not_in: list[str] | None = None
    populated: bool | None = None
    populated_as: str | None = Field(
        default=None, min_length=1
    )  # filled exactly when that variable is filled
    differs_from: str | None = Field(default=None, min_length=1)
    at_most: str | None = Field(default=None, min_length=1)
    at_least: float | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Test:
        given = [name for name in TESTS if getattr(self, name) is not None]
        if len(given) != 1:
            names = ", ".join(t.rstrip("_") for t in TESTS)
            raise ValueError(f"give exactly one of {names} (found {len(given)})")
        return self

    @property
    def other(self) -> str | None:
        """The other variable this test compares with, if any."""
        return self.populated_as or self.differs_from or self.at_most


def resolve(name: str, domain: str) -> str:
    """`--DOSE` in EX is EXDOSE; other names stay."""
    return f"{domain}{name[2:]}" if name.startswith("--") else name


def as_text(values: pd.Series) -> pd.Series:
    """Values as the text the spec compares with: numbers of XPT files read 3.0 as "3"."""
    return per_distinct(values, text_function(values))


def text_function(values: pd.Series) -> Callable[[pd.Series], pd.Series]:
    """What `as_text` does to each distinct value of this column."""
    return _number_text if pd.api.types.is_numeric_dtype(values) else _stripped


def _number_text(values: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce")
    whole = numbers.notna() & (numbers == numbers.round())
    integers: Any = numbers.where(whole).astype("Int64").astype("string")
    return integers.where(whole, numbers.astype("string"))


def _stripped(text: pd.Series) -> pd.Series:
    return text.str.strip()


def holds(
    test: Test,
    values: pd.Series,
    other: pd.Series | None,
    text: pd.Series | None = None,
    other_text: pd.Series | None = None,
) -> pd.Series:
    """Where the test holds, as a boolean column; `text` and `other_text` are `as_text` of the
    values when the caller has it already."""
    text = as_text(values) if text is None else text
    filled = text.notna() & (text != "")
    if test.equals is not None:
        return (text == test.equals).fillna(False).astype(bool)
    if test.in_ is not None:
        return text.isin(test.in_) & filled
    if test.not_in is not None:
        return ~(text.isin(test.not_in) & filled)
    if test.populated is not None:
        return filled if test.populated else ~filled
    if test.at_least is not None:
        numbers = pd.to_numeric(values, errors="coerce")
        return (numbers.isna() | (numbers >= test.at_least)).astype(bool)
    assert other is not None, "a test comparing with another variable needs its values"
    other_text = as_text(other) if other_text is None else other_text
    other_filled = other_text.notna() & (other_text != "")
    if test.populated_as is not None:
        return filled == other_filled
    if test.differs_from is not None:  # a copy in other letter case is still a copy
        same = text.str.upper() == other_text.str.upper()
        return ~(filled & other_filled & same).fillna(False).astype(bool)
    numbers = pd.to_numeric(values, errors="coerce")
    bound = pd.to_numeric(other, errors="coerce")
    return (numbers.isna() | bound.isna() | (numbers <= bound)).astype(bool)


def describe(test: Test, name: str, negated: bool = False, domain: str = "") -> str:
    """The test as text: 'AESER is 'Y'' (or negated: 'AESER is not 'Y''); `--` names of the
    variable and of the one it is compared with are resolved for `domain`."""
    name = resolve(name, domain) if domain else name
    if domain and test.other:
        test = test.model_copy(update={_other_field(test): resolve(test.other, domain)})
    words: dict[str, tuple[str, str]] = {
        "equals": (f"is '{test.equals}'", f"is not '{test.equals}'"),
        "in_": (f"is one of {_listed(test.in_)}", f"is not one of {_listed(test.in_)}"),
        "not_in": (f"is not one of {_listed(test.not_in)}", f"is {_listed(test.not_in)}"),
        "populated": (("is filled", "is empty") if test.populated else ("is empty", "is filled")),
        "populated_as": (
            f"is filled exactly when {test.populated_as} is",
            f"and {test.populated_as} are not both filled or both empty",
        ),
        "differs_from": (f"differs from {test.differs_from}", f"equals {test.differs_from}"),
        "at_most": (f"is at most {test.at_most}", f"is greater than {test.at_most}"),
        "at_least": (f"is at least {test.at_least:g}", f"is below {test.at_least:g}")
        if test.at_least is not None
        else ("", ""),
    }
    chosen = next(key for key in TESTS if getattr(test, key) is not None)
    return f"{name} {words[chosen][1 if negated else 0]}"


def _other_field(test: Test) -> str:
    return next(f for f in ("populated_as", "differs_from", "at_most") if getattr(test, f))


def _listed(values: Any) -> str:
    return ", ".join(f"'{v}'" for v in values or [])
