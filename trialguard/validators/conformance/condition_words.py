"""The message of a record that fails a conditional rule: the tests that selected it and the
tests it failed, each with the record's own values ("AESHOSP is 'Y', but AESER is 'N' (not
'Y')"), never the whole condition.

Records that fail in the same way (the same tests held and failed, the same values empty) share
one message template; the values themselves fill its placeholders record by record.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd

from trialguard.validators.conditions import Test
from trialguard.validators.outcome import Hits
from trialguard.validators.select import select
from trialguard.validators.wording import can_hold, escaped, joined, listed, value_of


@dataclass(frozen=True)
class Tested:
    """One test of a rule on one dataset: where it holds."""

    variable: str  # as in the data: `AESER`, `DM.DTHFL`
    test: Test
    holds: pd.Series
    other: str | None = None  # the variable it compares with, as in the data
    absent: tuple[str, ...] = ()  # of `variable` and `other`, those the dataset lacks: empty


@dataclass
class Evaluated:
    """The tests of a rule on one dataset, grouped as the spec gives them."""

    when: list[Tested] = field(default_factory=list)
    when_any: list[Tested] = field(default_factory=list)
    then: list[Tested] = field(default_factory=list)
    then_any: list[Tested] = field(default_factory=list)

    def failing(self, index: pd.Index) -> pd.Series:
        """Records selected by `when` / `when_any` that fail `then` / `then_any`."""
        selected = _all(self.when, index) & _any(self.when_any, index)
        return selected & ~(_all(self.then, index) & _any(self.then_any, index))

    def variables(self) -> list[str]:
        """Every variable the tests read, in order, the dataset's absent ones left out."""
        tests = [*self.when, *self.when_any, *self.then, *self.then_any]
        named = [n for t in tests for n in (t.variable, t.other) if n]
        absent = {n for t in tests for n in t.absent}
        return [n for n in dict.fromkeys(named) if n not in absent]


def _all(tests: list[Tested], index: pd.Index) -> pd.Series:
    return pd.concat([t.holds for t in tests], axis=1).all(axis=1) if tests else _true(index)


def _any(tests: list[Tested], index: pd.Index) -> pd.Series:
    return pd.concat([t.holds for t in tests], axis=1).any(axis=1) if tests else _true(index)


def _true(index: pd.Index) -> pd.Series:
    return pd.Series(True, index=index)


def worded_hits(
    name: str,
    frame: pd.DataFrame,
    rule: Evaluated,
    text_of: Callable[[str], pd.Series],
    shown: list[str],
    extra: dict[str, pd.Series],
    **context,
) -> list[Hits]:
    """The failing records of `frame`, one Hits per way of failing, each with its message."""
    failing = rule.failing(frame.index)
    if not failing.any():
        return []
    table = _ways(rule, failing[failing].index, frame, text_of)
    found = []
    for key, group in table.groupby(list(table.columns), sort=False, dropna=False):
        hits = select(name, frame, frame.index.isin(group.index), shown, extra, **context)
        hits.message = _Sentence(rule, dict(zip(table.columns, key, strict=True)), frame).text()
        found.append(hits)
    return found


def _ways(
    rule: Evaluated, rows: pd.Index, frame: pd.DataFrame, text_of: Callable[[str], pd.Series]
) -> pd.DataFrame:
    """Per failing record: which tests held and failed, which values are empty, and the values
    a message must spell out (those that cannot be placeholders, e.g. `DM.DTHFL`)."""
    ways: dict[str, pd.Series] = {}
    ways |= {f"held {i}": t.holds[rows] for i, t in enumerate(rule.when_any)}
    ways |= {f"failed {i}": ~t.holds[rows] for i, t in enumerate(rule.then)}
    if rule.then_any:
        ways["none held"] = ~pd.concat([t.holds[rows] for t in rule.then_any], axis=1).any(axis=1)
    for variable in rule.variables():
        text = text_of(variable)[rows]
        ways[f"empty {variable}"] = (text.isna() | (text == "")).astype(bool)
        if not _placeholder(variable, frame):
            ways[f"value {variable}"] = text.fillna("").astype(str)
    return pd.DataFrame(ways, index=rows)


def _placeholder(variable: str, frame: pd.DataFrame) -> bool:
    return variable in frame.columns and can_hold(variable)


class _Sentence:
    """The message of one way of failing: the tests that selected the record, ", but ", the
    tests it failed; a variable's value as a placeholder, or spelled out when it is empty."""

    def __init__(self, rule: Evaluated, way: dict, frame: pd.DataFrame) -> None:
        self.rule, self.way, self.frame = rule, way, frame
        self.read = set(rule.variables())

    def text(self) -> str:
        failed = [t for i, t in enumerate(self.rule.then) if self.way[f"failed {i}"]]
        none = self.rule.then_any if self.way.get("none held") else []
        named = {n for t in failed + none for n in (t.variable, t.other) if n}
        held = self.rule.when + [
            t for i, t in enumerate(self.rule.when_any) if self.way[f"held {i}"]
        ]
        selecting = [self._held(t) for t in held if t.variable not in named]
        because = _merged(list(dict.fromkeys(selecting)))
        broken = joined(
            [b for b in (_merged(self._failed(t) for t in failed), self._none(none)) if b]
        )
        return f"{because}, but {broken}" if because else broken

    def _none(self, tests: list[Tested]) -> str:
        """Tests of which none held: "AESCAN is 'N' and AESDTH is empty (none is 'Y')"."""
        wanted = {t.test.equals for t in tests}
        read = [t for t in tests if self.value(t.variable) != "absent"]
        if len(tests) < 2 or None in wanted or len(wanted) > 1 or not read:
            return _merged(self._failed(t) for t in tests)
        said = _merged((escaped(t.variable), f"is {self.value(t.variable)}") for t in tests)
        return f"{said} (none is '{escaped(wanted.pop() or '')}')"

    def value(self, variable: str) -> str:
        """The record's value of `variable` in the template: 'empty', 'absent', a placeholder
        or, for a variable that cannot be one, the value spelled out."""
        if variable not in self.read:
            return "absent"
        if self.way[f"empty {variable}"]:
            return "empty"
        if _placeholder(variable, self.frame):
            return value_of(self.frame, variable)
        return "'" + escaped(self.way[f"value {variable}"]) + "'"

    def _held(self, tested: Tested) -> tuple[str, str]:
        said = f"is {self.value(tested.variable)}"
        if tested.other:
            said += f" and {escaped(tested.other)} is {self.value(tested.other)}"
        return escaped(tested.variable), said

    def _failed(self, tested: Tested) -> tuple[str, str]:
        test, name, value = tested.test, escaped(tested.variable), self.value(tested.variable)
        other = escaped(tested.other or "")
        other_value = self.value(tested.other) if tested.other else ""
        if value == "absent":  # the dataset lacks it: nothing else to say of its value
            return name, "is absent"
        if test.populated_as is not None or test.number_equals is not None:
            unequal = " (not the same number)" if test.number_equals is not None else ""
            return name, f"is {value} and {other} is {other_value}{unequal}"
        compared = {
            "differs_from": f"{value} repeats {other} {other_value}",
            "same_as": f"{value} differs from {other} {other_value}",
            "at_most": f"{value} is greater than {other} {other_value}",
            "at_least": f"{value} is below {test.at_least:g}" if test.at_least is not None else "",
        }
        for kind, words in compared.items():
            if getattr(test, kind) is not None:
                return name, words
        return name, f"is {value}{_expected(test)}"


def _expected(test: Test) -> str:
    """What a failed test of one value wanted, where the value alone does not say it."""
    if test.equals is not None:
        return f" (not '{escaped(test.equals)}')"
    if test.in_ is not None:
        return f" (not one of {escaped(listed(test.in_))})"
    if test.numeric is not None:
        return " (not a number)" if test.numeric else " (a number)"
    if test.matches is not None:
        return f" (does not match {escaped(test.matches)})"
    if test.max_length is not None:
        return f" (longer than {test.max_length} characters)"
    return ""  # not_in, populated: the value says it


def _merged(phrases: Iterable[tuple[str, str]]) -> str:
    """Phrases joined; neighbours saying the same literal thing share it ("AESTDTC and AESTRF
    are empty")."""
    groups: list[tuple[list[str], str]] = []
    for name, predicate in phrases:
        literal = not _fields(predicate) and predicate.startswith("is ")
        if groups and literal and groups[-1][1] == predicate:
            groups[-1][0].append(name)
        else:
            groups.append(([name], predicate))
    return joined(
        [
            f"{joined(names)} {'are' + predicate[2:] if len(names) > 1 else predicate}"
            for names, predicate in groups
        ]
    )


def _fields(template: str) -> list[str]:
    return [n for _, n, _, _ in string.Formatter().parse(template) if n is not None]
