"""A numeric result has its unit, for every test that is measured in units.

Params: result and unit (e.g. `--ORRES` and `--ORRESU`, `--STRESC` and `--STRESU`: `--` is the
dataset's prefix), excluded_domains (domains whose results are scores or responses with no
unit: QS, FT, RS; their split datasets too).  A test (--TESTCD) none of whose records in the
dataset carries a unit is taken as unitless by nature (pH, specific gravity, a urine dipstick
grade) and not judged; the rule's notes name those tests and count their results.  A finding
is a record whose result is a number and whose unit is empty, of a test that has a unit on
other records.  Not run when no dataset has --TESTCD, the result and the unit.  Reference:
SDTMIG 3.4 §4.5.1 (original and standard results and units); Pinnacle 21 SD0026 (--ORRESU)
and SD0029 (--STRESU), which also flag the unitless tests.
"""

from __future__ import annotations

import pandas as pd

from trialguard.sdtm.naming import domain_code
from trialguard.validators.conditions import as_numbers, as_text, resolve
from trialguard.validators.conformance.findings import supplied_datasets
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import NotApplicable, Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select

SHOWN_TESTS = 8  # unitless tests named in a note; the rest are counted


class Params(NoParams):
    result: str
    unit: str
    excluded_domains: list[str] = []


@register(
    "result_units",
    params=Params,
    message="{result} is a number without its unit ({unit} is empty), while other records "
    "of its test have one",
)
def check_result_units(context: StudyContext, params: Params) -> Outcome:
    """A numeric result has its unit, where the test is measured in units."""
    outcome, checked = Outcome(), 0
    for name in supplied_datasets(context):
        columns = [resolve(v, name) for v in ("--TESTCD", params.result, params.unit)]
        if domain_code(name) in params.excluded_domains or not set(columns) <= set(
            context.frame(name).columns
        ):
            continue
        checked += 1
        _dataset_hits(context, name, columns, outcome)
    if not checked:
        raise NotApplicable(f"no dataset has --TESTCD, {params.result} and {params.unit}")
    return outcome


def _dataset_hits(context: StudyContext, name: str, columns: list[str], outcome: Outcome) -> None:
    testcd, result, unit = columns
    frame = context.frame(name)
    number = as_numbers(frame[result], as_text(frame[result])).notna()
    has_unit = frame[unit].notna()
    with_units = frame.loc[has_unit, testcd].dropna().unique()
    measured = frame[testcd].isin(with_units)
    unitless = number & ~has_unit & ~measured & frame[testcd].notna()
    if unitless.any():
        outcome.notes.append(_unitless_note(name, unit, frame.loc[unitless, testcd]))
    broken = number & ~has_unit & measured
    hits = select(name, frame, broken, [testcd, result, unit], result=result, unit=unit)
    hits.message = (  # the record's own test and result, by this dataset's variable names
        f"{result} '{{{result}}}' of {{{testcd}}} is a number without its unit ({unit} is "
        f"empty), while other {{{testcd}}} records have one"
    )
    outcome.add(hits)


def _unitless_note(name: str, unit: str, tests: pd.Series) -> str:
    counts = tests.value_counts().sort_index()
    shown = ", ".join(f"{test} ({count:,})" for test, count in counts.head(SHOWN_TESTS).items())
    more = f" and {len(counts) - SHOWN_TESTS} more" if len(counts) > SHOWN_TESTS else ""
    return (
        f"{name}: {len(counts)} test(s) have no {unit} on any record and are taken as unitless; "
        f"their numeric results are not judged: {shown}{more}"
    )
