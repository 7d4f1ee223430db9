"""One pandera schema per domain, run once per dataset with lazy validation.

Every pandera check is named (and its error text set) after the aspect a conformance rule reports
(numeric, ct:<codelist>, iso8601, domain); pandera's own built-in checks
(missing column, null, key uniqueness) keep their names.  `failure_table`
is the one seam where pandera's failure cases become trialguard rows.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrorReason

from trialguard.scalars import utf8_lengths
from trialguard.sdtm import naming
from trialguard.sdtm.dates import INVALID
from trialguard.validators.conformance.domains import (
    EXP,
    MAX_LENGTHS,
    REQ,
    checked_variables,
    keys_of,
)
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import CheckBroke

ASPECTS = {
    "column_in_dataframe": "missing_variable",
    "not_nullable": "null_value",
    "multiple_fields_uniqueness": "key",
    "numeric": "numeric",
    "iso8601": "iso8601",
    "domain": "domain",
    "length": "length",
    "printable": "printable",
    "duration": "duration",
    "max_length": "max_length",
}
UNKNOWN = "unknown"  # a pandera check name no aspect (and so no rule) stands for
XPT_MAX_VALUE_BYTES = 200
# C0/C1 controls (tab and line breaks included: no SDTM value holds them) and the
# Unicode direction controls that make text display in another order than it is stored.
HIDDEN_CHARACTERS = r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"
# ISO 8601 durations as SDTMIG 3.4 §4.4.3 writes them (PnYnMnDTnHnMnS or PnW; the last
# component may carry a decimal fraction); a leading '-' is an elapsed time before the
# reference (--ELTM), and never a collected duration (--DUR).
DURATION = (
    r"-?P(?:\d+(?:[.,]\d+)?W|(?=\d|T\d)(?:\d+(?:[.,]\d+)?Y)?(?:\d+(?:[.,]\d+)?M)?"
    r"(?:\d+(?:[.,]\d+)?D)?(?:T(?=\d)(?:\d+(?:[.,]\d+)?H)?(?:\d+(?:[.,]\d+)?M)?"
    r"(?:\d+(?:[.,]\d+)?S)?)?)"
)
DURATION_SUFFIXES = ("DUR", "ELTM", "EVLINT")


def build_schema(context: StudyContext, name: str) -> pa.DataFrameSchema:
    present = set(context.frame(name).columns)
    model = context.standards.ig.model
    variables = checked_variables(name, model, sorted(present))
    columns = {v.name: _column(context, name, v) for v in variables}
    for extra_date in sorted(c for c in present if c.endswith("DTC") and c not in columns):
        columns[extra_date] = pa.Column(
            required=False, nullable=True, checks=[_iso_check(context, name, extra_date)]
        )
    for column in sorted(c for c in present if _is_duration(name, c)):
        on = _OnDistinct(context, name, column)
        _add_checks(columns, column, [_duration_check(on, column.endswith("DUR"))])
    for column in sorted(_text_columns(context, name)):
        on = _OnDistinct(context, name, column)
        _add_checks(columns, column, [_length_check(on), _printable_check(on)])
        if column in MAX_LENGTHS:
            _add_checks(columns, column, [_max_length_check(on, MAX_LENGTHS[column])])
    key = keys_of(name, present)
    keys = list(key) if key and set(key) <= present else None
    return pa.DataFrameSchema(columns, unique=keys, report_duplicates="all", strict=False)


def _column(context: StudyContext, name: str, variable) -> pa.Column:
    checks = []
    if variable.numeric:
        checks.append(
            pa.Check(
                lambda s, n=variable.name: context.numbers(name, n).loc[s.index].notna(),
                name="numeric",
                error="numeric",
                ignore_na=True,
            )
        )
    if variable.codelist:
        checks.append(_ct_check(_OnDistinct(context, name, variable.name), variable.codelist))
    if variable.is_date:
        checks.append(_iso_check(context, name, variable.name))
    if variable.name == "DOMAIN":  # QS in QSCO: a split dataset keeps its domain's code
        code = naming.domain_code(name)
        checks.append(pa.Check.equal_to(code, name="domain", error="domain"))
    return pa.Column(
        required=variable.core in (REQ, EXP), nullable=variable.core != REQ, checks=checks
    )


def _is_duration(name: str, column: str) -> bool:
    prefix = naming.variable_prefix(name)
    return column.startswith(prefix) and column[len(prefix) :] in DURATION_SUFFIXES


def _add_checks(columns: dict[str, pa.Column], column: str, checks: list[pa.Check]) -> None:
    if column in columns:
        columns[column] = columns[column].set_checks(list(columns[column].checks) + checks)
    else:
        columns[column] = pa.Column(required=False, nullable=True, checks=checks)


class _OnDistinct:
    """A text check of one column, computed once per distinct value of the dataset's column."""

    def __init__(self, context: StudyContext, name: str, column: str) -> None:
        self.context, self.name, self.column = context, name, column

    def check(self, function: Callable[[pd.Series], pd.Series], label: str) -> pa.Check:
        """A pandera Check of `function` on the distinct values, missing values passing: made
        with ignore_na=False, so pandera does not look for (and drop) missing values of the
        whole column on every check; the missing entry of the distinct values stands for them."""

        def passing_missing(distinct: pd.Series) -> pd.Series:
            return function(distinct).where(distinct.notna(), True).astype(bool)

        def check(series: pd.Series) -> pd.Series:
            result = self.context.per_distinct(self.name, self.column, passing_missing)
            return _on_index(result, series.index)

        return pa.Check(check, name=label, error=label, ignore_na=False)


def _on_index(result: pd.Series, index: pd.Index) -> pd.Series:
    """A result of the whole column for the records pandera passed (all of them, usually)."""
    return result if index.equals(result.index) else result.loc[index]


def _duration_check(on: _OnDistinct, never_negative: bool) -> pa.Check:
    pattern = DURATION.removeprefix("-?") if never_negative else DURATION

    def valid(series: pd.Series) -> pd.Series:
        return series.astype("string").str.fullmatch(pattern).fillna(False).astype(bool)

    return on.check(valid, "duration")


def _text_columns(context: StudyContext, name: str) -> list[str]:
    """The text columns holding a value: a column of missing values has no length or
    character to judge (a dataset of 9,999 empty variables is not 20,000 checks)."""
    frame = context.frame(name)
    return [
        c
        for c in frame.columns
        if not pd.api.types.is_numeric_dtype(frame[c])
        and context.distinct(name, c)[1].notna().any()
    ]


def _length_check(on: _OnDistinct) -> pa.Check:
    def fits(series: pd.Series) -> pd.Series:
        return utf8_lengths(series) <= XPT_MAX_VALUE_BYTES

    return on.check(fits, "length")


def _max_length_check(on: _OnDistinct, limit: int) -> pa.Check:
    def fits(series: pd.Series) -> pd.Series:
        return series.astype("string").str.len() <= limit

    return on.check(fits, "max_length")


def _printable_check(on: _OnDistinct) -> pa.Check:
    def printable(series: pd.Series) -> pd.Series:
        return ~series.astype("string").str.contains(HIDDEN_CHARACTERS, regex=True)

    return on.check(printable, "printable")


def _ct_check(on: _OnDistinct, codelist_name: str) -> pa.Check:
    codelist = on.context.standards.ct.codelist(codelist_name)
    sponsor = on.context.spec.terminology.sponsor_terms.get(codelist_name, [])
    allowed = sorted(codelist.terms | set(sponsor))

    def listed(series: pd.Series) -> pd.Series:
        return series.isin(allowed)

    return on.check(listed, f"ct:{codelist_name}")


def _iso_check(context: StudyContext, name: str, column: str) -> pa.Check:
    def valid(series: pd.Series) -> pd.Series:  # a missing value's status is MISSING: it passes
        return _on_index(context.dates(name, column)["status"], series.index) != INVALID

    return pa.Check(valid, name="iso8601", error="iso8601", ignore_na=False)


def failure_table(context: StudyContext, name: str) -> pd.DataFrame:
    """Every conformance failure of one dataset: aspect, column, check, value, record, and
    whether the check itself broke (`broke`).  Raises CheckBroke when pandera reports a failure
    under a check name that maps to no aspect: nothing pandera says is dropped."""
    key = ("conformance", name)
    if key not in context.cache:
        context.cache[key] = _validate(context, name)
    table = context.cache[key]
    assert isinstance(table, pd.DataFrame)
    unknown = table[table["aspect"] == UNKNOWN]
    if len(unknown):
        checks = ", ".join(
            sorted(
                {
                    f"{c} on {name}.{v}"
                    for c, v in zip(unknown["check"], unknown["column"], strict=True)
                }
            )
        )
        raise CheckBroke(
            f"pandera reported {len(unknown)} failure(s) under a check no rule reads ({checks})"
        )
    return table


def raise_if_broke(rows: pd.DataFrame, name: str) -> None:
    """A pandera check that raised ends its rule in status error, never in data findings."""
    broke = rows[rows["broke"]]
    if len(broke):
        first = broke.iloc[0]
        raise CheckBroke(
            f"the {first['check']} check on {name}.{first['column']} broke inside pandera: "
            f"{first['value']}"
        )


def _validate(context: StudyContext, name: str) -> pd.DataFrame:
    frame = context.frame(name)
    broken: set[tuple[str, str]] = set()
    try:
        build_schema(context, name).validate(frame, lazy=True)
        cases = pd.DataFrame(columns=["column", "check", "failure_case", "index"])
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        broken = _broken_checks(errors)
    table = pd.DataFrame(
        {
            "aspect": cases["check"].map(_aspect),
            "column": cases["column"],
            "check": cases["check"],
            "value": cases["failure_case"],
            "record": pd.to_numeric(cases["index"], errors="coerce"),
        }
    )
    pairs = pd.MultiIndex.from_arrays([table["column"].astype(str), table["check"].astype(str)])
    table["broke"] = pairs.isin(list(broken)) if broken else False
    missing = table["aspect"] == "missing_variable"
    table.loc[missing, "column"] = table.loc[missing, "value"]
    return table.reset_index(drop=True)


def _broken_checks(errors: pa.errors.SchemaErrors) -> set[tuple[str, str]]:
    """(column, check name) of every check that raised instead of returning a mask."""
    broken = set()
    for error in errors.schema_errors:
        if error.reason_code == SchemaErrorReason.CHECK_ERROR:
            check = getattr(error.check, "name", None) or str(error.check)
            broken.add((str(getattr(error.schema, "name", "")), str(check)))
    return broken


def _aspect(check: object) -> str:
    text = str(check)
    return "ct" if text.startswith("ct:") else ASPECTS.get(text, UNKNOWN)
