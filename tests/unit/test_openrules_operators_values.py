"""The value operators of the Open Rules executor (relational, strings, presence) against
CORE's semantics: equality truth table, type handling, regexes, lengths, string parts and
column existence."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from trialguard.openrules.frame import MissingVariable, RuleFrame
from trialguard.openrules.operators import operators
from trialguard.openrules.operators.relational import distinct_map


def text(*values: Any) -> pd.Series:
    return pd.Series(pd.array(list(values), dtype="string"))


def frame(
    operations: dict[str, Any] | None = None, prefix: str = "AE", **columns: Any
) -> RuleFrame:
    data = pd.DataFrame(columns)
    data.index = pd.RangeIndex(1, len(data) + 1, name="record")
    return RuleFrame(data, "AE", prefix, operations=dict(operations or {}))


def run(rule_frame: RuleFrame, **item: Any) -> list[bool]:
    result = operators()[item["operator"]](rule_frame, item)
    assert result.index.equals(rule_frame.index)
    return [bool(flag) for flag in result.fillna(False)]


# --- equality -----------------------------------------------------------------------------


def test_equality_truth_table_both_empty_is_neither_equal_nor_unequal() -> None:
    f = frame(A=text(None, "", None, "X", "X", "X"), B=text(None, None, "Y", None, "X", "Y"))
    assert run(f, name="A", operator="equal_to", value="B") == [F, F, F, F, T, F]
    assert run(f, name="A", operator="not_equal_to", value="B") == [F, F, T, T, F, T]


def test_equal_to_literal_and_value_is_literal() -> None:
    f = frame(AETERM=text("AEDECOD", "Headache"), AEDECOD=text("Headache", "Headache"))
    assert run(f, name="AETERM", operator="equal_to", value="AEDECOD") == [F, T]
    literal = run(f, name="AETERM", operator="equal_to", value="AEDECOD", value_is_literal=True)
    assert literal == [T, F]


def test_comparator_prefix_is_replaced() -> None:
    f = frame(AESTDTC=text("2020", "2021"), AEENDTC=text("2020", "2020"))
    assert run(f, name="--STDTC", operator="equal_to", value="--ENDTC") == [T, F]


def test_equality_is_type_strict_for_text_but_numbers_match_their_text() -> None:
    f = frame(SEQ=[1.0, 2.0, np.nan], TXT=text("1", "2.0", "x"))
    assert run(f, name="SEQ", operator="equal_to", value=1) == [T, F, F]
    assert run(f, name="TXT", operator="equal_to", value="1") == [T, F, F]
    # a CSV Num variable arrives as text: "2.0" reads as the number 2
    assert run(f, name="TXT", operator="equal_to", value="SEQ") == [T, T, F]
    assert run(f, name="TXT", operator="not_equal_to", value="SEQ") == [F, F, T]


def test_type_insensitive_normalises_numbers_and_spaces() -> None:
    f = frame(A=text("5.10", " 7 ", "1e1", "abc "), B=[5.1, 7.0, 10.0, np.nan])
    assert run(f, name="A", operator="equal_to", value="B", type_insensitive=True) == [T, T, T, F]
    g = frame(A=text("abc ", "x"), B=text("abc", " x"))
    assert run(g, name="A", operator="equal_to", value="B", type_insensitive=True) == [T, T]
    assert run(g, name="A", operator="equal_to", value="B") == [F, F]


def test_round_values_rounds_half_to_even() -> None:
    f = frame(A=[2.5, 3.5, 2.4, np.nan], B=[2.0, 4.0, 3.0, 1.0])
    assert run(f, name="A", operator="equal_to", value="B", round_values=True) == [T, T, F, F]


def test_case_insensitive_and_its_non_text_quirk() -> None:
    f = frame(A=text("Nausea", "Nausea", None), B=text("NAUSEA", "Vomit", "x"))
    assert run(f, name="A", operator="equal_to_case_insensitive", value="B") == [T, F, F]
    assert run(f, name="A", operator="not_equal_to_case_insensitive", value="B") == [F, T, T]
    numbers = frame(A=[1.0, 2.0], B=[2.0, 2.0])  # non-text on both sides count as equal
    assert run(numbers, name="A", operator="equal_to_case_insensitive", value="B") == [T, T]


def test_value_is_reference_reads_the_named_column_per_record() -> None:
    f = frame(
        IDVAR=text("AESEQ", "AESEQ", "NOPE", None),
        IDVARVAL=text("1", "2", "3", None),
        AESEQ=[1.0, 3.0, 1.0, 1.0],
    )
    flags = run(
        f,
        name="IDVARVAL",
        operator="not_equal_to",
        value="IDVAR",
        value_is_reference=True,
        type_insensitive=True,
    )
    assert flags == [F, T, T, F]


# --- numeric comparisons ------------------------------------------------------------------


def test_numeric_comparisons_read_text_as_numbers() -> None:
    f = frame(A=text("10", "2", "x", None), B=[5.0, 5.0, 5.0, 5.0])
    assert run(f, name="A", operator="greater_than", value="B") == [T, F, F, F]
    assert run(f, name="A", operator="less_than", value=5) == [F, T, F, F]
    assert run(f, name="A", operator="less_than_or_equal_to", value=2) == [F, T, F, F]
    assert run(f, name="A", operator="greater_than_or_equal_to", value=10) == [T, F, F, F]


def test_numeric_comparison_with_an_absent_variable_skips() -> None:
    f = frame(A=[1.0])
    with pytest.raises(MissingVariable):
        run(f, name="A", operator="greater_than", value="--ORNRHI")


# --- empty ----------------------------------------------------------------------------------


def test_empty_counts_null_and_empty_text_not_spaces_or_zero() -> None:
    f = frame(A=pd.Series(["", None, " ", "NA", 0.0, np.nan], dtype=object))
    assert run(f, name="A", operator="empty") == [T, T, F, F, F, T]
    assert run(f, name="A", operator="non_empty") == [F, F, T, T, T, F]


def test_empty_list_cells_are_empty() -> None:
    f = frame(
        operations={"$l": pd.Series([[], ["A"], [None]], index=pd.RangeIndex(1, 4))}, A=[1, 2, 3]
    )
    assert run(f, name="$l", operator="empty") == [T, F, T]


def test_missing_target_raises() -> None:
    with pytest.raises(MissingVariable):
        run(frame(A=[1]), name="B", operator="empty")


# --- regexes --------------------------------------------------------------------------------


def test_matches_regex_is_anchored_at_the_start_only() -> None:
    f = frame(A=text("ABC1", "xABC", None, ""))
    assert run(f, name="A", operator="matches_regex", value="ABC") == [T, F, F, F]
    assert run(f, name="A", operator="not_matches_regex", value="ABC") == [F, T, F, T]
    assert run(f, name="A", operator="matches_regex", value="^$") == [F, F, F, T]


def test_regex_on_numbers_uses_text_without_trailing_zero() -> None:
    f = frame(A=[1.0, 1.5, np.nan])
    assert run(f, name="A", operator="matches_regex", value=r"^\d+$") == [T, F, F]
    assert run(f, name="A", operator="not_matches_regex", value=r"^\d+$") == [F, T, F]


def test_prefix_and_suffix_regexes_search_the_slice() -> None:
    f = frame(A=text("APMH", "XAPM", "LBSEQ", None))
    assert run(f, name="A", operator="prefix_matches_regex", value="AP", prefix=2) == [T, F, F, F]
    assert run(f, name="A", operator="not_prefix_matches_regex", value="AP", prefix=2) == [
        F,
        T,
        T,
        F,
    ]
    assert run(f, name="A", operator="suffix_matches_regex", value="SEQ", suffix=3) == [F, F, T, F]
    assert run(f, name="A", operator="not_suffix_matches_regex", value="M", suffix=1) == [
        T,
        F,
        T,
        F,
    ]


def test_regex_is_computed_once_per_distinct_value() -> None:
    calls: list[Any] = []
    values = text("A", "B", "A", None, "A")
    result = distinct_map(values, lambda v: calls.append(v) or v.lower())
    assert sorted(calls) == ["A", "B"]
    assert result.tolist() == ["a", "b", "a", None, "a"]


# --- starts, ends, contains -----------------------------------------------------------------


def test_starts_with_literal_and_ends_with_any_value_of_a_column() -> None:
    f = frame(QNAM=text("RACE1", "XRACE", None), SUFFIX=text("SEQ", "GRPID", None))
    assert run(f, name="QNAM", operator="starts_with", value="RACE", value_is_literal=True) == [
        T,
        F,
        F,
    ]
    g = frame(IDVAR=text("AESEQ", "AEGRPID", "AETERM"), S=text("SEQ", "GRPID", None))
    assert run(g, name="IDVAR", operator="ends_with", value="S") == [T, T, F]


def test_contains_is_a_substring_test_for_text_and_membership_for_lists() -> None:
    f = frame(DSTERM=text("INFORMED CONSENT OBTAINED", "informed consent", None))
    assert run(f, name="DSTERM", operator="contains", value="INFORMED CONSENT") == [T, F, F]
    lists = pd.Series([["A", "B"], ["C"]], index=pd.RangeIndex(1, 3, name="record"))
    g = frame(operations={"$l": lists}, X=[1, 2])
    assert run(g, name="$l", operator="contains", value="A") == [T, F]


# --- lengths --------------------------------------------------------------------------------


def test_length_operators() -> None:
    f = frame(A=text("ABCDEFGHI", "ABCDEFGH", None))
    assert run(f, name="A", operator="longer_than", value=8) == [T, F, F]
    assert run(f, name="A", operator="longer_than_or_equal_to", value=8) == [T, T, F]
    assert run(f, name="A", operator="shorter_than", value=9) == [F, T, T]
    assert run(f, name="A", operator="shorter_than_or_equal_to", value=8) == [F, T, T]
    assert run(f, name="A", operator="has_equal_length", value=8) == [F, T, F]
    assert run(f, name="A", operator="has_not_equal_length", value=8) == [T, F, T]


def test_length_against_a_column_of_text_compares_lengths() -> None:
    f = frame(A=text("ABC", "A"), B=text("XY", "XY"), N=[1.0, 5.0])
    assert run(f, name="A", operator="longer_than", value="B") == [T, F]
    assert run(f, name="A", operator="longer_than", value="N") == [T, F]


# --- prefix equality and string part --------------------------------------------------------


def test_prefix_equal_to_domain_means_the_dataset_prefix() -> None:
    f = frame(prefix="LB", dataset_name=text("LBCH", "ALB", None))
    assert run(f, name="dataset_name", operator="prefix_equal_to", value="DOMAIN", prefix=2) == [
        T,
        F,
        F,
    ]
    assert run(
        f, name="dataset_name", operator="prefix_not_equal_to", value="DOMAIN", prefix=2
    ) == [F, T, F]
    assert run(f, name="dataset_name", operator="prefix_equal_to", value="AL", prefix=2) == [
        F,
        T,
        F,
    ]


def test_does_not_equal_string_part() -> None:
    f = frame(operations={"$dataset_name": "SUPPAE"}, RDOMAIN=text("AE", "DM", None, "ae"))
    flags = run(
        f,
        name="RDOMAIN",
        operator="does_not_equal_string_part",
        value="$dataset_name",
        regex=".{4}(..).*",
    )
    assert flags == [F, T, T, T]
    assert run(
        f, name="RDOMAIN", operator="equals_string_part", value="$dataset_name", regex=".{4}(..).*"
    ) == [T, F, F, F]


# --- presence -------------------------------------------------------------------------------


def test_exists_for_columns_operations_and_listed_names() -> None:
    f = frame(operations={"$vars": ["AETERM", "AESEQ"]}, AETERM=text("x"))
    assert run(f, name="--TERM", operator="exists") == [T]
    assert run(f, name="$vars", operator="exists") == [T]
    assert run(f, name="AESEQ", operator="exists") == [T]
    assert run(f, name="AEDECOD", operator="exists") == [F]
    assert run(f, name="AEDECOD", operator="not_exists") == [T]
    g = frame(variables=pd.Series([["STUDYID", "DOMAIN"]], dtype=object))
    assert run(g, name="DOMAIN", operator="exists") == [T]
    assert run(g, name="USUBJID", operator="exists") == [F]


T, F = True, False


def test_operators_keep_a_repeated_record_index() -> None:
    """Metadata tables repeat record numbers (one row per variable of a record)."""
    data = pd.DataFrame(
        {"variable_value": text(" x", "y", None), "variable_data_type": text("Char", "Char", "Num")}
    )
    data.index = pd.Index([1, 1, 2], name="record")
    f = RuleFrame(data, "AE", "AE")
    assert run(f, name="variable_value", operator="matches_regex", value=r"^\s") == [T, F, F]
    assert run(f, name="variable_data_type", operator="equal_to", value="Char") == [T, T, F]
    assert run(f, name="variable_value", operator="contains", value="y") == [F, T, F]


def test_contains_with_a_column_asks_whether_the_value_occurs_in_the_target() -> None:
    f = frame(A=text("X", "Y", None), B=text("Y", "Z", None))
    assert run(f, name="A", operator="contains", value="B") == [T, F, F]
