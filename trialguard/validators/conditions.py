"""Tests on one variable of a record, as the spec writes them, evaluated on whole columns.

A variable is named as in the data (`AESER`), with the domain prefix left open (`--DOSE`:
EXDOSE in EX, AEDOSE in AE) or as the subject's DM value (`DM.DTHFL`).  Empty values are
missing: `equals`/`in`/`matches`/`numeric` never hold on them, `not_in`/`differs_from`/
`same_as`/`max_length` always do, and `number_equals` holds only where both values are numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ConfigDict, Field, model_validator

from trialguard.distinct import per_distinct
from trialguard.scalars import number_text
from trialguard.sdtm.naming import variable_prefix
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
    "numeric",
    "matches",
    "max_length",
    "same_as",
    "number_equals",
)
COMPARING = ("populated_as", "differs_from", "at_most", "same_as", "number_equals")


class Test(NoParams):
    """Exactly one of: equals, in, not_in, populated, populated_as, differs_from, at_most
    (another variable, as numbers), at_least (a number), numeric (the value is a finite number),
    matches (a regular expression the whole value matches), max_length (characters), same_as
    (another variable: equal where both are filled) or number_equals (another variable: both are
    numbers and equal)."""

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
    numeric: bool | None = None
    matches: str | None = Field(default=None, min_length=1)
    max_length: int | None = Field(default=None, ge=1)
    same_as: str | None = Field(default=None, min_length=1)
    number_equals: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _exactly_one(self) -> Test:
        given = [name for name in TESTS if getattr(self, name) is not None]
        if len(given) != 1:
            names = ", ".join(t.rstrip("_") for t in TESTS)
            raise ValueError(f"give exactly one of {names} (found {len(given)})")
        if self.matches is not None:
            re.compile(self.matches)  # a malformed pattern is a spec error, not a finding
        return self

    @property
    def other(self) -> str | None:
        """The other variable this test compares with, if any."""
        return next((getattr(self, f) for f in COMPARING if getattr(self, f)), None)


def resolve(name: str, dataset: str) -> str:
    """`--DOSE` in EX is EXDOSE, `--ORRES` in the split dataset QSCO is QSORRES; other names
    stay."""
    return f"{variable_prefix(dataset)}{name[2:]}" if name.startswith("--") else name


def as_text(values: pd.Series) -> pd.Series:
    """Values as the text the spec compares with: numbers of XPT files read 3.0 as "3"."""
    return per_distinct(values, text_function(values))


def text_function(values: pd.Series) -> Callable[[pd.Series], pd.Series]:
    """What `as_text` does to each distinct value of this column."""
    return _number_text if pd.api.types.is_numeric_dtype(values) else _stripped


def _number_text(values: pd.Series) -> pd.Series:
    """3.0 as "3"; a whole float beyond int64 (1e300) and ±inf keep their float text."""
    return number_text(pd.to_numeric(values, errors="coerce"))


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
    single = _single_value_test(test, values, text, filled)
    if single is not None:
        return single
    assert other is not None, "a test comparing with another variable needs its values"
    other_text = as_text(other) if other_text is None else other_text
    other_filled = other_text.notna() & (other_text != "")
    if test.populated_as is not None:
        return filled == other_filled
    if test.differs_from is not None:  # a copy in other letter case is still a copy
        same = text.str.upper() == other_text.str.upper()
        return ~(filled & other_filled & same).fillna(False).astype(bool)
    if test.same_as is not None:
        return ~(filled & other_filled & (text != other_text)).fillna(False).astype(bool)
    numbers, bound = as_numbers(values, text), as_numbers(other, other_text)
    if test.number_equals is not None:
        close = np.isclose(numbers.to_numpy(float), bound.to_numpy(float), rtol=1e-9, atol=0)
        return pd.Series(close, index=values.index) & numbers.notna() & bound.notna()
    return (numbers.isna() | bound.isna() | (numbers <= bound)).astype(bool)


def _single_value_test(
    test: Test, values: pd.Series, text: pd.Series, filled: pd.Series
) -> pd.Series | None:
    """numeric, matches and max_length: tests of the value's text alone (None: another test)."""
    if test.numeric is not None:
        number = as_numbers(values, text).notna()
        return number if test.numeric else ~number
    if test.matches is not None:
        matched = text.str.fullmatch(test.matches).fillna(False).astype(bool)
        return matched & filled
    if test.max_length is not None:
        return ~(text.str.len() > test.max_length).fillna(False).astype(bool)
    return None


def as_numbers(values: pd.Series, text: pd.Series) -> pd.Series:
    """The values as finite floats: numbers as read, text that parses as a number ("12",
    "-0.5", "1E3"); anything else, an infinity and missing values are NaN."""
    source = values if pd.api.types.is_numeric_dtype(values) else text
    numbers = pd.to_numeric(source, errors="coerce").astype("Float64").astype(float)
    return numbers.where(np.isfinite(numbers))


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
        "numeric": (
            ("is a number", "is not a number")
            if test.numeric
            else ("is not a number", "is a number")
        ),
        "matches": (f"matches {test.matches}", f"does not match {test.matches}"),
        "max_length": (
            f"is at most {test.max_length} characters long",
            f"is longer than {test.max_length} characters",
        ),
        "same_as": (f"equals {test.same_as}", f"differs from {test.same_as}"),
        "number_equals": (
            f"equals {test.number_equals} as a number",
            f"does not equal {test.number_equals} as a number",
        ),
    }
    chosen = next(key for key in TESTS if getattr(test, key) is not None)
    return f"{name} {words[chosen][1 if negated else 0]}"


def _other_field(test: Test) -> str:
    return next(f for f in COMPARING if getattr(test, f))


def _listed(values: Any) -> str:
    return ", ".join(f"'{v}'" for v in values or [])
