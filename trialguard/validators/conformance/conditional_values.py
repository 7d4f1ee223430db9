"""Values within a record, or against the subject's DM record, that depend on each other.

Params: datasets (default: every checked dataset), excluded_domains (domains left out of the
default, their split datasets too), when / when_any (tests that select the records: all of
them, or at least one, must hold), then / then_any (tests those records must pass: all, or at
least one).  Each maps a variable (`AESER`, `--DOSE`, `DM.DTHFL`) to a test or a list of tests
(see `trialguard.validators.conditions`).  A `when` variable absent from a dataset leaves that
dataset out; an absent `then` variable is not tested (SD-REQ-VAR / SD-EXP-VAR report it where
the IG requires or expects it), unless `absent_as_empty`: then a `then` / `then_any` variable
the dataset lacks counts as empty in every record (a rule asking for one of several variables
is broken as much by their absence as by their empty values).
A finding is a record selected by the `when` tests that fails the `then` tests; its message
names the tests that selected it and those it failed, with the record's values ("AESHOSP is 'Y',
but AESER is 'N' (not 'Y')"), not the whole condition.
Reference: SDTMIG 3.4 variable descriptions and assumptions (each rule names its own).
"""

from __future__ import annotations

import pandas as pd
from pydantic import model_validator

from trialguard.sdtm.naming import domain_code
from trialguard.validators.conditions import (
    Test,
    as_text,
    describe,
    holds,
    resolve,
    text_function,
)
from trialguard.validators.conformance.condition_words import Evaluated, Tested, worded_hits
from trialguard.validators.conformance.findings import supplied_datasets
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Hits, NotApplicable, Outcome
from trialguard.validators.registry import NoParams, register

Tests = dict[str, Test | list[Test]]


class Params(NoParams):
    datasets: list[str] = []
    excluded_domains: list[str] = []
    absent_as_empty: bool = False
    when: Tests = {}
    when_any: Tests = {}
    then: Tests = {}
    then_any: Tests = {}

    @model_validator(mode="after")
    def _something_to_test(self) -> Params:
        if not self.then and not self.then_any:
            raise ValueError("give the tests the records must pass (then or then_any)")
        return self


@register("conditional_values", params=Params, message="{condition}")
def check_conditional_values(context: StudyContext, params: Params) -> Outcome:
    """Values that depend on other values of the record or of the subject's DM record."""
    outcome, checked = Outcome(), []
    for name in params.datasets or _default_datasets(context, params):
        if not context.has(name):
            continue
        found = _dataset_hits(context, name, params)
        if found is not None:
            checked.append(name)
            outcome.hits += found
    if not checked:
        wanted = [*params.when, *params.when_any, *params.then, *params.then_any]
        raise NotApplicable(
            f"the data lacks the variables it tests ({', '.join(dict.fromkeys(wanted))})"
        )
    return outcome


def _default_datasets(context: StudyContext, params: Params) -> list[str]:
    excluded = set(params.excluded_domains)
    return [n for n in supplied_datasets(context) if domain_code(n) not in excluded]


def _dataset_hits(context: StudyContext, name: str, params: Params) -> list[Hits] | None:
    """The failing records of one dataset, or None when its variables are not there."""
    frame = context.frame(name)
    columns = _Columns(context, name)
    rule = _evaluated(columns, params)
    if rule is None:
        return None
    shown = [v for v in columns.used if v in frame.columns]
    extra = {v: columns.values(v) for v in columns.used if v not in frame.columns}
    condition = _text(name, params)
    return worded_hits(name, frame, rule, columns.text, shown, extra, condition=condition)


def _evaluated(columns: _Columns, params: Params) -> Evaluated | None:
    """The rule's tests on the dataset; None when a `when` variable, every `when_any`
    variable or every `then` / `then_any` variable is absent."""
    absent = params.absent_as_empty
    when = [_evaluate(columns, v, t) for v, t in _pairs(params.when)]
    when_any = _present(columns, params.when_any)
    then = _present(columns, params.then, absent)
    then_any = _present(columns, params.then_any, absent)
    if any(t is None for t in when) or (params.when_any and not when_any):
        return None
    if not then and not then_any:
        return None
    return Evaluated([t for t in when if t is not None], when_any, then, then_any)


class _Columns:
    """The dataset's columns by spec name, DM values joined by USUBJID, in order of use."""

    def __init__(self, context: StudyContext, name: str) -> None:
        self.context, self.name, self.frame = context, name, context.frame(name)
        self.used: list[str] = []

    def has(self, variable: str) -> bool:
        real = resolve(variable, self.name)
        if real.startswith("DM."):
            if not self.context.has("DM") or "USUBJID" not in self.frame:
                return False
            dm_columns = self.context.frame("DM").columns
            return "USUBJID" in dm_columns and real[3:] in dm_columns
        return real in self.frame.columns

    def values(self, variable: str) -> pd.Series:
        real = resolve(variable, self.name)
        if real not in self.used:
            self.used.append(real)
        if not real.startswith("DM."):
            return self.frame[real]
        return self._cached(("dm values", self.name, real), lambda: self._from_dm(real[3:]))

    def text(self, variable: str) -> pd.Series:
        """`as_text` of the values, once per run for all rules (each distinct value once)."""
        real = resolve(variable, self.name)
        return self._cached(("text", self.name, real), lambda: self._text(real))

    def holding(self, variable: str, test: Test) -> pd.Series:
        """Where a test of this variable alone holds: a test of a value's text is computed once
        per distinct value (the codes kept for the run)."""
        real = resolve(variable, self.name)
        values = self.values(real)
        if real.startswith("DM.") or test.at_least is not None:
            return holds(test, values, None, self.text(variable))
        texts = text_function(values)
        return self.context.per_distinct(
            self.name, real, lambda distinct: holds(test, distinct, None, texts(distinct))
        )

    def _text(self, real: str) -> pd.Series:
        values = self.values(real)
        if real.startswith("DM."):
            return as_text(values)
        return self.context.per_distinct(self.name, real, text_function(values))

    def _from_dm(self, column: str) -> pd.Series:
        subjects = self.context.frame("DM").drop_duplicates("USUBJID").set_index("USUBJID")
        return self.frame["USUBJID"].map(subjects[column])

    def _cached(self, key: tuple[str, str, str], make) -> pd.Series:
        if key not in self.context.cache:
            self.context.cache[key] = make()
        found = self.context.cache[key]
        assert isinstance(found, pd.Series)
        return found


def _pairs(tests: Tests):
    for variable, chosen in tests.items():
        for test in chosen if isinstance(chosen, list) else [chosen]:
            yield variable, test


def _evaluate(
    columns: _Columns, variable: str, test: Test, absent_as_empty: bool = False
) -> Tested | None:
    """Where the test holds; None when a variable it needs is absent (unless counted empty)."""
    real = resolve(variable, columns.name)
    other = resolve(test.other, columns.name) if test.other else None
    if not columns.has(variable) or (test.other and not columns.has(test.other)):
        if not absent_as_empty:
            return None
        lacking = tuple(n for n in (variable, test.other) if n and not columns.has(n))
        absent = tuple(resolve(n, columns.name) for n in lacking)
        return Tested(real, test, _on_empty(columns, variable, test), other, absent)
    if not test.other:
        return Tested(real, test, columns.holding(variable, test))
    values = columns.values(variable)
    mask = holds(
        test, values, columns.values(test.other), columns.text(variable), columns.text(test.other)
    )
    return Tested(real, test, mask, other)


def _on_empty(columns: _Columns, variable: str, test: Test) -> pd.Series:
    """The test where the variables the dataset lacks are empty in every record."""
    empty = pd.Series(pd.NA, index=columns.frame.index, dtype="string")
    values = columns.values(variable) if columns.has(variable) else empty
    other = None
    if test.other:
        other = columns.values(test.other) if columns.has(test.other) else empty
    return holds(test, values, other)


def _present(columns: _Columns, tests: Tests, absent: bool = False) -> list[Tested]:
    """The tests of the variables present (or, with `absent`, of every variable)."""
    evaluated = (_evaluate(columns, v, t, absent) for v, t in _pairs(tests))
    return [t for t in evaluated if t is not None]


def _text(name: str, params: Params) -> str:
    when = [describe(t, v, domain=name) for v, t in _pairs(params.when)]
    when_any = [describe(t, v, domain=name) for v, t in _pairs(params.when_any)]
    broken = [describe(t, v, True, name) for v, t in _pairs(params.then)]
    broken_any = [describe(t, v, True, name) for v, t in _pairs(params.then_any)]
    selected = " and ".join(when + ([" or ".join(when_any)] if when_any else []))
    failed = " or ".join(broken) if broken else " and ".join(broken_any)
    return f"{selected}, but {failed}" if selected else failed
