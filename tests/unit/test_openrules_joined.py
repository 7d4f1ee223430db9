"""A join kept as row positions reads like the table it stands for."""

from __future__ import annotations

import numpy as np
import pandas as pd

from trialguard.openrules.domains import domain_merged
from trialguard.openrules.frame import RuleFrame
from trialguard.openrules.joined import Joined, Part
from trialguard.openrules.model import Match
from trialguard.openrules.operators.texts import texts
from trialguard.openrules.scope import DatasetInfo


def ae() -> pd.DataFrame:
    data = pd.DataFrame(
        {"USUBJID": pd.array(["1", "2", "3"], dtype="string"), "AESEQ": [1.0, 2, 3]}
    )
    return data.set_axis(pd.RangeIndex(1, 4, name="record"))


def test_columns_are_taken_through_the_positions_and_codes_follow() -> None:
    dm = pd.DataFrame({"SEX": pd.array(["F", "M"], dtype="string")})
    codes = (np.array([0, 1]), pd.Series(["F", "M", None], dtype="string"))
    joined = Joined.of(ae()).with_part(
        Part(dm, np.array([1, 0, 1]), {"SEX": "SEX"}, lambda _: codes)
    )
    assert list(joined.columns) == ["USUBJID", "AESEQ", "SEX"]
    assert joined["SEX"].tolist() == ["M", "F", "M"] and list(joined["SEX"].index) == [1, 2, 3]
    assert joined.codes("SEX")[0].tolist() == [1, 0, 1]  # type: ignore[index]
    kept = joined[np.array([False, True, True])]
    assert list(kept.index) == [2, 3] and kept["SEX"].tolist() == ["F", "M"]
    assert kept.frame().equals(joined.frame().iloc[1:])


def test_domain_join_keeps_positions_and_drops_unmatched_records() -> None:
    dm = pd.DataFrame({"USUBJID": ["2", "1"], "AGE": [30.0, 40.0]})
    info = DatasetInfo("AE", "AE", None, ("USUBJID", "AESEQ"))
    merged = domain_merged(Match("DM", ("USUBJID",)), info, ae(), dm, set())
    assert isinstance(merged, Joined)
    assert list(merged.index) == [1, 2] and merged["AGE"].tolist() == [40.0, 30.0]
    frame = RuleFrame(merged, "AE", "AE")
    assert frame.rows(np.array([False, True]))["AGE"].tolist() == [30.0]


def test_texts_of_an_array_of_text_and_of_numbers() -> None:
    assert texts(np.array(["a", None, "b"], dtype=object)) == {"a", "", "b"}
    assert texts(["A", "b"], fold=True) == {"a", "b"}
    assert texts(np.array([1.0, 2.5], dtype=object)) == {"1", "2.5"}
