"""The Open Rules operators that compare records with each other (uniqueness.py and
ordering.py), on small hand-made frames, against what CORE's engine gives on the same data."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from trialguard.openrules.frame import MissingVariable, RuleFrame
from trialguard.openrules.operators import operators


def frame(dataset: str = "AE", **columns: list[Any]) -> RuleFrame:
    """A frame as the reader gives it: text as StringDtype with <NA>, numbers as float64,
    records numbered from 1."""
    data = pd.DataFrame(columns)
    for name in data.columns:
        if not pd.api.types.is_numeric_dtype(data[name].dtype):
            data[name] = data[name].astype("string")
    data.index = pd.RangeIndex(1, len(data) + 1)
    return RuleFrame(data.rename_axis("record"), dataset, dataset)


def flagged(op: str, rule_frame: RuleFrame, **item: Any) -> list[int]:
    """The record numbers the operator holds on."""
    result = operators()[op](rule_frame, {"operator": op, **item})
    assert result.index.equals(rule_frame.index)
    return [int(record) for record in result.index[result.fillna(False).astype(bool)]]


# --- is_unique_set --------------------------------------------------------------------------


def test_not_unique_set_flags_every_record_of_a_repeated_key() -> None:
    f = frame(USUBJID=["1", "1", "1", "2"], VISITNUM=[1.0, 1.0, 2.0, 1.0])
    assert flagged("is_not_unique_set", f, name="VISITNUM", value="USUBJID") == [1, 2]
    assert flagged("is_unique_set", f, name="VISITNUM", value="USUBJID") == [3, 4]


def test_unique_set_missing_values_equal_each_other() -> None:
    f = frame(USUBJID=["1", "1", "1"], AESPID=[None, None, ""])
    assert flagged("is_not_unique_set", f, name="AESPID", value=["USUBJID"]) == [1, 2]


def test_unique_set_resolves_prefix_and_drops_names_that_are_not_columns() -> None:
    f = frame(AESEQ=[1.0, 1.0, 2.0], USUBJID=["1", "1", "1"])
    assert flagged("is_not_unique_set", f, name="--SEQ", value=["USUBJID", "NOSUCH"]) == [1, 2]


def test_unique_set_expands_an_operation_listing_variables() -> None:
    f = frame(USUBJID=["1", "1", "1"], AEDTC=["2020-01-01", "2020-01-01", "2020-01-02"])
    f.operations["$timing"] = ["AEDTC"]
    assert flagged("is_not_unique_set", f, name="USUBJID", value=["$timing"]) == [1, 2]


def test_unique_set_regex_keeps_the_matched_part() -> None:
    f = frame(
        USUBJID=["1", "1", "1"],
        LBDTC=["2020-01-01T10:00", "2020-01-01T11:00", "2020-01-02T10:00"],
    )
    item = {"name": "USUBJID", "value": ["LBDTC"], "regex": r"^\d{4}-\d{2}-\d{2}"}
    assert flagged("is_not_unique_set", f, **item) == [1, 2]
    assert flagged("is_not_unique_set", f, name="USUBJID", value=["LBDTC"]) == []


# --- is_not_unique_relationship -------------------------------------------------------------


def test_not_unique_relationship_flags_both_sides() -> None:
    # CORE: T=[A,A,B,A,None], V=[a,b,b,a,None] -> [T,T,T,T,F]
    f = frame(ETCD=["A", "A", "B", "A", None], ELEMENT=["a", "b", "b", "a", None])
    assert flagged("is_not_unique_relationship", f, name="ETCD", value="ELEMENT") == [1, 2, 3, 4]
    assert flagged("is_unique_relationship", f, name="ETCD", value="ELEMENT") == [5]


def test_not_unique_relationship_empty_value_counts_as_another_value() -> None:
    f = frame(TEST=["Glucose", "Glucose", "Sodium"], TESTCD=["GLUC", "", "SODIUM"])
    assert flagged("is_not_unique_relationship", f, name="TEST", value="TESTCD") == [1, 2]


def test_not_unique_relationship_one_to_one_is_clean() -> None:
    f = frame(ARM=["Drug", "Drug", "Placebo"], ARMCD=["D", "D", "P"])
    assert flagged("is_not_unique_relationship", f, name="ARM", value="ARMCD") == []


def test_not_unique_relationship_numeric_value() -> None:
    f = frame(VISIT=["WEEK 1", "WEEK 1", "WEEK 2"], VISITNUM=[1.0, 2.0, 2.0])
    assert flagged("is_not_unique_relationship", f, name="VISIT", value="VISITNUM") == [1, 2, 3]


def test_not_unique_relationship_missing_value_variable() -> None:
    f = frame(ARM=["Drug"])
    with pytest.raises(MissingVariable):
        flagged("is_not_unique_relationship", f, name="ARM", value="ARMCD")


# --- is_inconsistent_across_dataset ---------------------------------------------------------


def test_inconsistent_flags_every_record_of_an_inconsistent_group() -> None:
    # the older CORE rule (0.17.1 would flag record 3 only): CORE-000612/000699 need it
    f = frame(
        "LB",
        LBTESTCD=["GLUC", "GLUC", "GLUC", "NA", "NA"],
        LBSTRESU=["mmol/L", "mmol/L", "mg/dL", "mmol/L", "mmol/L"],
    )
    item = {"name": "--STRESU", "value": "--TESTCD"}
    assert flagged("is_inconsistent_across_dataset", f, **item) == [1, 2, 3]


def test_inconsistent_missing_value_is_a_value_and_missing_groups_are_dropped() -> None:
    f = frame(G=["1", "1", "2", "2"], H=["x", "x", "y", "y"], U=["a", None, "b", "b"])
    assert flagged("is_inconsistent_across_dataset", f, name="U", value=["G", "NOSUCH"]) == [1, 2]


# --- present_on_multiple_rows_within --------------------------------------------------------


def test_present_on_multiple_rows_within() -> None:
    f = frame(USUBJID=["1", "1", "2", "2", None], DSDECOD=["IC", "IC", "IC", "DEATH", "IC"])
    assert flagged("present_on_multiple_rows_within", f, name="DSDECOD", within="USUBJID") == [
        1,
        2,
    ]
    assert flagged("not_present_on_multiple_rows_within", f, name="DSDECOD", within="USUBJID") == [
        3,
        4,
        5,
    ]


def test_present_on_multiple_rows_within_allowed_count_and_missing_target() -> None:
    f = frame(USUBJID=["1", "1", "1", "2", "2"], RELID=["R", "R", "R", None, None])
    item = {"name": "RELID", "within": "USUBJID", "value": 2}
    assert flagged("present_on_multiple_rows_within", f, **item) == [1, 2, 3]
    assert flagged("present_on_multiple_rows_within", f, name="RELID", within="USUBJID") == [
        1,
        2,
        3,
        4,
        5,
    ]


# --- has_same_values / has_different_values -------------------------------------------------


def test_has_same_and_different_values() -> None:
    same = frame(DOMAIN=["AE", "AE"])
    different = frame(DOMAIN=["AE", None])
    assert flagged("has_same_values", same, name="DOMAIN") == [1, 2]
    assert flagged("has_different_values", same, name="DOMAIN") == []
    assert flagged("has_different_values", different, name="DOMAIN") == [1, 2]


# --- empty_within_except_last_row -----------------------------------------------------------


def test_empty_within_except_last_row_in_ordering_order() -> None:
    # record 2 is the last element of subject 1 by SESTDTC although not by record number
    f = frame(
        USUBJID=["1", "1", "1", "2", "2", None],
        SESTDTC=["2020-01-01", "2020-03-01", "2020-02-01", "2020-01-01", "2020-02-01", "2020"],
        SEENDTC=["2020-02-01", None, None, "", None, None],
    )
    item = {"name": "SEENDTC", "value": "USUBJID", "ordering": "SESTDTC"}
    assert flagged("empty_within_except_last_row", f, **item) == [3, 4]
    assert flagged("non_empty_within_except_last_row", f, **item) == [1]


# --- has_next_corresponding_record ----------------------------------------------------------


def test_does_not_have_next_corresponding_record_on_the_right_records() -> None:
    # the file is not sorted by SESEQ: results must stay on their records
    f = frame(
        USUBJID=["1", "1", "1", "2", "2"],
        SESEQ=[2.0, 1.0, 3.0, 1.0, 2.0],
        SESTDTC=["2020-02-01", "2020-01-01", "2020-03-05", "2020-01-01", "2020-02-01"],
        SEENDTC=["2020-03-01", "2020-02-01", "2020-04-01", "2020-02-01", None],
    )
    item = {"name": "SEENDTC", "value": "SESTDTC", "within": "USUBJID", "ordering": "SESEQ"}
    assert flagged("does_not_have_next_corresponding_record", f, **item) == [1]
    assert flagged("has_next_corresponding_record", f, **item) == [2, 3, 4, 5]


def test_next_corresponding_record_missing_equals_missing() -> None:
    f = frame(USUBJID=["1", "1"], SEQ=[1.0, 2.0], END=[None, None], START=[None, None])
    item = {"name": "END", "value": "START", "within": "USUBJID", "ordering": "SEQ"}
    assert flagged("does_not_have_next_corresponding_record", f, **item) == []


# --- is_ordered_by / is_ordered_set ---------------------------------------------------------


def test_is_ordered_by() -> None:
    f = frame(X=[1.0, 3.0, 2.0, 4.0])
    assert flagged("is_not_ordered_by", f, name="X") == [2, 3]
    assert flagged("is_not_ordered_by", f, name="X", order="dsc") == [1, 4]


def test_is_ordered_set_within_groups() -> None:
    f = frame(G=["1", "1", "2", "2", "2"], E=[1.0, 2.0, 3.0, 3.0, 2.0])
    assert flagged("is_not_ordered_set", f, name="E", value="G") == [3, 5]
    assert flagged("is_ordered_set", f, name="E", value="G") == [1, 2, 4]


# --- target_is_sorted_by --------------------------------------------------------------------

SORTED_BY_STDTC = [{"name": "--STDTC", "sort_order": "asc", "null_position": "last"}]


def test_target_is_not_sorted_by_order_and_misplaced_null() -> None:
    # CORE: SEQ 1..4 with STDTC 01-01, 01-05, 01-03, null -> [F, T, T, F]
    f = frame(
        "SM",
        USUBJID=["1", "1", "1", "1"],
        SMSEQ=[1.0, 2.0, 3.0, 4.0],
        SMSTDTC=["2020-01-01", "2020-01-05", "2020-01-03", None],
    )
    item = {"name": "--SEQ", "within": "USUBJID", "value": SORTED_BY_STDTC}
    assert flagged("target_is_not_sorted_by", f, **item) == [2, 3]
    f = frame(  # a null before the last date: every null is misplaced
        "SM",
        USUBJID=["1", "1", "1", "1"],
        SMSEQ=[1.0, 2.0, 3.0, 4.0],
        SMSTDTC=["2020-01-01", None, "2020-01-03", None],
    )
    assert flagged("target_is_not_sorted_by", f, **item) == [2, 4]


def test_target_is_not_sorted_by_overlapping_precisions() -> None:
    f = frame(
        "SM",
        USUBJID=["1", "1", "1", "2"],
        SMSEQ=[1.0, 2.0, 3.0, 1.0],
        SMSTDTC=["2020-02", "2020-02-10", "2020-03", "2020-02"],
    )
    item = {"name": "--SEQ", "within": "USUBJID", "value": SORTED_BY_STDTC}
    assert flagged("target_is_not_sorted_by", f, **item) == [1, 2]


def test_target_is_not_sorted_by_descending_and_text_sequence() -> None:
    f = frame(
        "SM",
        USUBJID=["1", "1", "1"],
        SMSEQ=["10", "2", "1"],  # a sequence read as text still sorts as numbers
        SMSTDTC=["2020-01-01", "2020-01-02", "2020-01-03"],
    )
    down = [{"name": "SMSTDTC", "sort_order": "desc"}]
    assert flagged("target_is_not_sorted_by", f, name="SMSEQ", within="USUBJID", value=down) == []
    up = [{"name": "SMSTDTC", "sort_order": "asc"}]
    result = flagged("target_is_not_sorted_by", f, name="SMSEQ", within="USUBJID", value=up)
    assert result == [1, 2, 3]  # CORE: every record out of place or out of step
