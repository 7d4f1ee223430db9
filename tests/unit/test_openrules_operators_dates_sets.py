"""The date and set operators of the Open Rules executor, on small hand-made frames, against
CORE's semantics (dates compare with missing parts filled, a missing value compares false;
membership in a list, a column or an operation's per-record lists)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from trialguard.openrules.frame import MissingVariable, RuleFrame
from trialguard.openrules.operators import operators


def frame(operations: dict[str, Any] | None = None, **columns: list[Any]) -> RuleFrame:
    data = {}
    for name, values in columns.items():
        numeric = all(isinstance(v, int | float) or v is None for v in values)
        data[name] = pd.Series(values, dtype="float64" if numeric else "string")
    table = pd.DataFrame(data)
    table.index = pd.RangeIndex(1, len(table) + 1, name="record")
    result = RuleFrame(table, "AE", "AE")
    result.operations.update(operations or {})
    return result


def run(rule_frame: RuleFrame, operator: str, **item: Any) -> list[bool]:
    result = operators()[operator](rule_frame, {"operator": operator, **item})
    assert result.index.equals(rule_frame.index)
    return [bool(x) for x in result.fillna(False)]


# ---- date comparisons -----------------------------------------------------------------------

PAIRS = {
    "AESTDTC": [
        "2018-11-06T12:00",
        "2018-04-17",
        "\t2018-07",
        "2020-01",
        None,
        "UNK",
        "2020-02-30",
    ],
    "AEENDTC": ["2018-11-06", "2018-04", "2018-06", "2020-01-15", "2020-01-01", "2020", "2020"],
}


@pytest.mark.parametrize(
    ("operator", "expected"),
    [
        # a partial date is filled (2018-04 is 2018-04-01), whitespace ignored, the
        # missing / unknown / impossible dates compare false whatever the operator
        ("date_greater_than", [True, True, True, False, False, False, False]),
        ("date_greater_than_or_equal_to", [True, True, True, False, False, False, False]),
        ("date_less_than", [False, False, False, True, False, False, False]),
        ("date_less_than_or_equal_to", [False, False, False, True, False, False, False]),
        ("date_equal_to", [False, False, False, False, False, False, False]),
        ("date_not_equal_to", [True, True, True, True, False, False, False]),
    ],
)
def test_date_comparisons_fill_partial_dates(operator: str, expected: list[bool]) -> None:
    assert run(frame(**PAIRS), operator, name="--STDTC", value="--ENDTC") == expected


def test_date_equal_to_a_literal_and_an_offset() -> None:
    data = frame(AEDTC=["2020-01-15T10:00+01:00", "2020-01-15T09:00", "2020-01-15", None])
    assert run(data, "date_equal_to", name="AEDTC", value="2020-01-15T09:00Z") == [
        True,
        True,
        False,
        False,
    ]


def test_date_component_compares_that_part_only() -> None:
    data = frame(AESTDTC=["2020-03-15", "2021-01-01", "2020"], AEENDTC=["2020-12-01"] * 3)
    assert run(data, "date_equal_to", name="AESTDTC", value="AEENDTC", date_component="year") == [
        True,
        False,
        True,
    ]
    assert run(data, "date_less_than", name="AESTDTC", value="AEENDTC", date_component="month") == [
        True,
        True,
        True,
    ]


def test_interval_and_uncertain_dates_compare_by_their_start() -> None:
    data = frame(AESTDTC=["2020-01-10/2020-03-01", "2020---15"], AEENDTC=["2020-02-01"] * 2)
    assert run(data, "date_less_than", name="AESTDTC", value="AEENDTC") == [True, True]


def test_date_comparison_with_an_operation_and_a_missing_column() -> None:
    data = frame(
        {"$first": pd.Series(["2020-01-01", None], index=[1, 2])}, AEDTC=["2020-02-01"] * 2
    )
    assert run(data, "date_greater_than", name="AEDTC", value="$first") == [True, False]
    with pytest.raises(MissingVariable):
        run(data, "date_greater_than", name="AEXDTC", value="$first")


# ---- complete, valid -------------------------------------------------------------------------

DATES = [
    "2020-01-15",
    "2020-01-15T10",
    "2020-01-15T10:30Z",
    "20200115",
    "2020-01",
    "2020---15",
    "2020-02-30",
    " 2020-01-15",
    "2020-01-15/2020-01-20",
    None,
]


def test_complete_and_incomplete_dates() -> None:
    complete = [True, True, True, True, False, False, False, False, False, False]
    data = frame(AEDTC=DATES)
    assert run(data, "is_complete_date", name="AEDTC") == complete
    assert run(data, "is_incomplete_date", name="AEDTC") == [not c for c in complete]


def test_invalid_date() -> None:
    invalid = [False, False, False, True, False, False, True, True, False, True]
    assert run(frame(AEDTC=DATES), "invalid_date", name="AEDTC") == invalid
    time_only = frame(AEDTC=["-----T10:30", "2020-01-15T24:00", "2020-13", "-2020"])
    assert run(time_only, "invalid_date", name="AEDTC") == [False, True, True, True]


def test_invalid_duration() -> None:
    values = ["P1Y2M", "PT1.5H", "P1,5D", "P2W", "-P1D", "P1W2D", "P", "PT", "P1.5DT1H", None]
    data = frame(TSVAL=values)
    signed = [False, False, False, False, False, True, True, True, True, True]
    assert run(data, "invalid_duration", name="TSVAL") == signed
    unsigned = run(data, "invalid_duration", name="TSVAL", negative=False)
    assert unsigned == [False, False, False, False, True, True, True, True, True, True]


# ---- membership ------------------------------------------------------------------------------


def test_is_contained_by_a_literal_list() -> None:
    data = frame(AESEV=["MILD", "SEVERE", "mild", None, ""])
    inside = run(data, "is_contained_by", name="AESEV", value=["MILD", "MODERATE"])
    assert inside == [True, False, False, False, False]
    outside = run(data, "is_not_contained_by", name="AESEV", value=["MILD", "MODERATE"])
    assert outside == [False, True, True, True, True]  # a missing value is not in the list
    folded = run(data, "is_not_contained_by_case_insensitive", name="AESEV", value=["Mild"])
    assert folded == [False, True, False, True, True]


def test_a_list_holding_an_empty_value_holds_the_missing_value() -> None:
    data = frame(AESEV=["MILD", None])
    assert run(data, "is_contained_by", name="AESEV", value=["MILD", None]) == [True, True]


def test_is_contained_by_a_column_is_anywhere_in_it() -> None:
    data = frame(ARMCD=["A", "B", "C"], ACTARMCD=["B", "A", None])
    assert run(data, "is_contained_by", name="ARMCD", value="ACTARMCD") == [True, True, False]


def test_numbers_match_their_text() -> None:
    data = frame({"$tv_visitnum": [1.0, 2.0, 3.5]}, VISITNUM=[1.0, 3.5, 4.0, None])
    assert run(data, "is_not_contained_by", name="VISITNUM", value="$tv_visitnum") == [
        False,
        False,
        True,
        True,
    ]


def test_per_record_lists_are_tested_row_by_row() -> None:
    lists = pd.Series([["1", "2"], ["1", "2"], ["3"], None], index=[1, 2, 3, 4], dtype=object)
    data = frame({"$sv_visitnum": lists}, VISITNUM=[2.0, 3.0, 3.0, 1.0])
    assert run(data, "is_contained_by", name="VISITNUM", value="$sv_visitnum") == [
        True,
        False,
        True,
        False,  # no list for the record: nothing holds it
    ]


def test_a_single_literal_comparator_leaves_the_dataset_unchecked() -> None:
    with pytest.raises(MissingVariable):
        run(frame(AESEV=["MILD"]), "is_contained_by", name="AESEV", value="NOTACOLUMN")


def test_prefix_and_suffix_membership() -> None:
    data = frame({"$domains": ["AE", "LB"]}, dataset_name=["AEX", "LBCH", "QSX", None])
    prefix = run(
        data, "prefix_is_not_contained_by", name="dataset_name", prefix=2, value="$domains"
    )
    assert prefix == [False, False, True, False]
    suffix = run(data, "suffix_is_contained_by", name="dataset_name", suffix=2, value=["CH", "SX"])
    assert suffix == [False, True, True, False]


# ---- lists against lists ---------------------------------------------------------------------


def test_not_contains_all_answers_on_the_first_record() -> None:
    data = frame({"$required": ["STUDYID", "AESEQ"]}, variable_name=["STUDYID", "DOMAIN"])
    assert run(data, "not_contains_all", name="variable_name", value=["$required"]) == [True, False]
    assert run(data, "contains_all", name="variable_name", value=["$required"]) == [False, False]
    full = frame({"$required": ["STUDYID"]}, variable_name=["STUDYID", "DOMAIN"])
    assert run(full, "not_contains_all", name="variable_name", value=["$required"]) == [
        False,
        False,
    ]
    assert run(full, "contains_all", name="variable_name", value=["$required"]) == [True, False]


def test_shares_elements() -> None:
    timing = ["AEDTC", "EPOCH"]
    operations = {"$timing": timing, "$vars": ["STUDYID", "EPOCH"], "$none": ["STUDYID"]}
    data = frame(operations, variable_name=["STUDYID", "EPOCH"])
    assert run(data, "shares_no_elements_with", name="$vars", value="$timing") == [False, False]
    assert run(data, "shares_no_elements_with", name="$none", value="$timing") == [True, True]
    assert run(data, "shares_exactly_one_element_with", name="$vars", value="$timing") == [True] * 2
    assert (
        run(data, "shares_at_least_one_element_with", name="$none", value="$timing") == [False] * 2
    )


def test_ordered_subset_per_record() -> None:
    library = ["STUDYID", "DOMAIN", "USUBJID", "AESEQ"]
    dataset = pd.Series(
        [["STUDYID", "USUBJID"], ["USUBJID", "STUDYID"], ["STUDYID", "MIDS"]], index=[1, 2, 3]
    )
    data = frame({"$library": library, "$dataset": dataset}, variable_name=["A", "B", "C"])
    assert run(data, "is_not_ordered_subset_of", name="$dataset", value="$library") == [
        False,
        True,  # out of order
        True,  # MIDS is not in the library's list
    ]


def test_distinct_values_are_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from trialguard.openrules.operators import dates

    calls: list[Any] = []
    original = dates.moment

    def counted(value: Any) -> Any:
        calls.append(value)
        return original(value)

    monkeypatch.setattr(dates, "moment", counted)
    data = frame(AEDTC=list(np.repeat(["2020-01-01", "2020-02-01"], 500)))
    run(data, "date_less_than", name="AEDTC", value="2020-01-15")
    assert len(calls) == 3  # two distinct values and the literal
