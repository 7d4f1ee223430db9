"""Per-distinct-value and per-distinct-pair evaluation gives the record-wise answers."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from trialguard.openrules.checks import distinct_frame, holds
from trialguard.openrules.domains import right_rows
from trialguard.openrules.frame import RuleFrame
from trialguard.openrules.pairs import pair_rows, value_codes


def frame(**columns: list[Any]) -> RuleFrame:
    data = pd.DataFrame(columns)
    for name in data.columns:
        if not pd.api.types.is_numeric_dtype(data[name].dtype):
            data[name] = data[name].astype("string")
    data.index = pd.RangeIndex(1, len(data) + 1)
    return RuleFrame(data.rename_axis("record"), "AE", "AE")


def flagged(check: dict[str, Any], f: RuleFrame) -> list[int]:
    return [int(i) for i in f.index[holds(check, f).to_numpy(dtype=bool)]]


def test_literal_item_runs_on_distinct_values() -> None:
    f = frame(AETERM=["OTHER", "X", None, "OTHER", "X", "OTHER"])
    item = {"name": "--TERM", "operator": "equal_to", "value": "OTHER"}
    small = distinct_frame(f, item)
    assert small is not None and len(small[1].index) == 3
    assert flagged(item, f) == [1, 4, 6]
    assert flagged({"name": "--TERM", "operator": "empty"}, f) == [3]
    regex = {"name": "AETERM", "operator": "not_matches_regex", "value": "^O"}
    assert flagged(regex, f) == [2, 5]


def test_item_naming_a_column_is_not_taken_per_value() -> None:
    f = frame(A=["1", "1", "2", "2"], B=["1", "2", "2", "2"])
    item = {"name": "A", "operator": "equal_to", "value": "B"}
    assert distinct_frame(f, item) is None
    assert flagged(item, f) == [1, 3, 4]


def test_pairs_of_float_and_operation_values() -> None:
    f = frame(AESTDY=[1.0, 2.0, np.nan, 1.0, -3.0, np.nan])
    f.operations["$dy"] = pd.Series([1, 1, "", 1, -3, 5], index=f.index, dtype=object)
    item = {"name": "AESTDY", "operator": "not_equal_to", "value": "$dy"}
    assert flagged(item, f) == [2, 6]


def test_value_codes_keep_true_apart_from_one() -> None:
    assert value_codes(pd.Series([True, 1, 1.0], dtype=object)) is None
    codes, firsts = pair_rows(np.array([0, 1, 0, 1]), np.array([2, 2, 2, 3]))
    assert codes.tolist() == [0, 1, 0, 2] and firsts.tolist() == [0, 1, 3]


def test_right_rows_by_key_text() -> None:
    left = pd.DataFrame({"U": pd.array(["a", "b", None, "a", "c"], dtype="string")})
    right = pd.DataFrame({"__key0": ["c", "a", ""]})
    assert right_rows(left, ["U"], right).tolist() == [1, -1, 2, 1, 0]  # NA is ""
    assert right_rows(left, ["U"], pd.DataFrame({"__key0": ["a", "a"]})) is None
