"""Work on distinct values gives what the same work on every value gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import make_ae, make_dm, make_spec, subject

from trialguard.distinct import distinct_text, factorised, per_distinct
from trialguard.readers.dataset import Dataset, blank_to_missing
from trialguard.readers.study import Study
from trialguard.scalars import plain, plain_values
from trialguard.sdtm.dates import ParsedTexts, parse_iso8601
from trialguard.validators.conditions import as_text
from trialguard.validators.context import StudyContext

COLUMNS = {
    "text": pd.Series(["b", None, "a", "b", "", " ", np.nan], dtype=object),
    "string": pd.Series(["x", pd.NA, "x", "y"], dtype="string"),
    "numbers": pd.Series([1.0, np.nan, -0.0, 0.0, 2.5, 1.0]),
    "mixed": pd.Series(["1", 1, 1.0, True, None], dtype=object),
    "empty": pd.Series([], dtype=object),
}


@pytest.mark.parametrize("values", COLUMNS.values(), ids=list(COLUMNS))
def test_distinct_text_spreads_back_to_the_text_of_every_value(values):
    codes, distinct = distinct_text(values)
    expected = values.astype("string")
    spread = distinct.iloc[codes].reset_index(drop=True)
    assert spread.dtype == expected.dtype
    assert spread.fillna("<missing>").tolist() == expected.fillna("<missing>").tolist()
    assert distinct.iloc[-1] is pd.NA and distinct.iloc[:-1].is_unique


# A function of numbers sees 0.0 and -0.0 as one value (see test_numbers_stay_numbers...).
SIGNED = {k: v.abs() if k == "numbers" else v for k, v in COLUMNS.items()}


@pytest.mark.parametrize("values", SIGNED.values(), ids=list(SIGNED))
def test_a_function_of_distinct_values_equals_it_on_every_value(values):
    def stripped(text: pd.Series) -> pd.Series:
        return text.astype("string").str.strip().str.len()

    assert per_distinct(values, stripped).equals(stripped(values).set_axis(values.index))


def test_numbers_stay_numbers_and_zero_is_one_value():
    codes, distinct = factorised(COLUMNS["numbers"])
    assert distinct.dtype == float and codes[2] == codes[3]
    assert np.isnan(distinct.iloc[codes[1]])


def test_blanks_become_missing_and_the_codes_are_kept_while_the_column_is():
    frame = pd.DataFrame({"AETERM": ["A", " ", "", "A", None], "AESEQ": [1.0, 2, 3, 4, 5]})
    encoded: dict = {}
    blank_to_missing(frame, encoded)
    assert frame["AETERM"].isna().tolist() == [False, True, True, False, True]
    dataset = Dataset("AE", None, "csv", frame, "0", encoded=encoded)  # type: ignore[arg-type]
    codes, distinct = dataset.text_codes("AETERM")
    assert distinct.iloc[codes].fillna("-").tolist() == ["A", "-", "-", "A", "-"]
    assert len(set(codes[[1, 2, 4]])) == 1  # every missing value shares one code
    assert dataset.text_codes("AESEQ") is None
    frame["AETERM"] = pd.Series(["B"] * 5, index=frame.index, dtype="string")
    assert dataset.text_codes("AETERM") is None  # the column was replaced: codes not reused


def test_one_parse_for_every_date_column_equals_a_parse_of_each():
    shared = ParsedTexts()
    first = pd.Series(["2025-03-01/2025-03-05", "2025-02-30", None, "2025"], dtype="string")
    second = pd.Series(["2025", "", "2025-03-10T10:00", "P3D", None], dtype=object)
    shared.add([first])
    for values in (first, second, pd.Series([20000.0, np.nan])):
        codes, distinct = factorised(values)
        got = shared.column(codes, distinct, values.index)
        pd.testing.assert_frame_equal(got, parse_iso8601(values))


def test_the_context_parses_dates_of_every_dataset_alike():
    dm = make_dm({"USUBJID": subject(1), "RFSTDTC": "2025-03-05"})
    ae = make_ae({"USUBJID": subject(1), "AESTDTC": "2025-03-05", "AEENDTC": "2025-03"})
    context = StudyContext(Study({"DM": dm, "AE": ae}), make_spec())
    for name, column in (("DM", "RFSTDTC"), ("AE", "AESTDTC"), ("AE", "AEENDTC")):
        frame = context.frame(name)
        pd.testing.assert_frame_equal(context.dates(name, column), parse_iso8601(frame[column]))


def test_integers_and_booleans_keep_their_own_text():
    assert factorised(pd.Series([2021, 2022]))[1].tolist()[:2] == ["2021", "2022"]
    assert parse_iso8601(pd.Series([2021]))["status"].tolist() == ["valid"]
    assert as_text(pd.Series([True, False])).tolist() == ["1", "0"]
    assert as_text(pd.Series([2**53 + 1])).tolist() == ["9007199254740993"]


COLUMN_KINDS = {
    "string": pd.Series(["a", None], dtype="string"),
    "floats": pd.Series([1.0, np.nan, 2.5, -0.0, 3e300]),
    "nullable booleans": pd.Series([True, None], dtype="boolean"),
    "numpy scalars": pd.Series([np.bool_(True), np.datetime64("2020-01-01"), 1], dtype=object),
    "Int64": pd.Series([1, None], dtype="Int64"),
}


@pytest.mark.parametrize("values", COLUMN_KINDS.values(), ids=list(COLUMN_KINDS))
def test_plain_values_of_a_column_are_plain_of_each_record_value(values):
    records = values.to_frame("v").to_dict("records")
    expected = [plain(row["v"]) for row in records]
    got = plain_values(values)
    assert got == expected and [type(v) for v in got] == [type(v) for v in expected]
