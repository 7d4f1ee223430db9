"""Extreme values the data may hold (±inf, 1e300, 2**63, -0.0, NaN, a lone UTF-16 surrogate,
NUL, 200-character text) are judged by the rules: findings, never "the check broke"."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import (
    STUDY,
    check,
    dataset,
    hits,
    make_ae,
    make_dl,
    make_dm,
    make_ex,
    subject,
)

import trialguard.sdtm.sdtmig
from trialguard.findings import Status
from trialguard.pipeline import validate_study
from trialguard.readers.dataset import Dataset
from trialguard.readers.study import Study
from trialguard.reporting.html import render_html
from trialguard.reporting.json import render_json
from trialguard.scalars import number_text, plain, plain_values, rounded, utf8_lengths
from trialguard.spec.loader import load_spec

HUGE = [math.inf, -math.inf, 1e300, -1e300, float(2**63), float(2**64), -float(2**63)]
NUMBERS = [*HUGE, -0.0, math.nan, 3.0, 2.5]
NUMBER_TEXTS = ["inf", "-inf", "1e300", "1e400", "9223372036854775808", "-0", "nan", "0x10"]
TEXTS = ["\ud800", "x\udfffy", "\x00", "x" * 200, "é" * 150, "", " ", "\u202e"]
IG_VARIABLES = pd.read_csv(
    Path(trialguard.sdtm.sdtmig.__file__).with_name("variables.tsv"), sep="\t", dtype=str
)
# DM, EX and AE, and the datasets other rules need (DL, findings, trial design, relations),
# each with the SDTMIG model it follows.
DATASETS = {
    name: name
    for name in ("DM", "EX", "AE", "DL", "LB", "VS", "RS", "TU", "TS", "TA", "TE", "SE", "SV")
} | {"RELREC": "RELREC", "SUPPAE": "SUPP--"}
BUILDERS = {"DM": make_dm, "EX": make_ex, "AE": make_ae, "DL": make_dl}


def _variables(dataset: str, kind: str) -> list[str]:
    """The SDTMIG variables of `dataset` of type `kind` (Num or Char)."""
    model = IG_VARIABLES["domain"] == DATASETS[dataset]
    return list(IG_VARIABLES.loc[model & (IG_VARIABLES["type"] == kind), "variable"])


# Every SDTMIG variable of each dataset (so that every rule has values to look at), numbers as
# the IG types them, plus a few that other models add.
NUMERIC = {d: {*_variables(d, "Num"), "VISITNUM", f"{d}DOSTOT"} for d in DATASETS}
TEXT_ONLY = {d: _variables(d, "Char") for d in DATASETS}


def _ex_dose(dose, **row) -> Dataset:
    ex = make_ex({"USUBJID": subject(1), **row}, {"USUBJID": subject(2), **row})
    ex.frame["EXDOSE"] = pd.Series([dose, 40.0], index=ex.frame.index, dtype="float64")
    return ex


@pytest.mark.parametrize("dose", HUGE)
def test_a_huge_or_infinite_dose_is_judged(dose):
    negative = check(
        "conditional_values", _ex_dose(dose), params={"then": {"--DOSE": {"at_least": 0}}}
    )
    assert negative.status is not Status.ERROR
    assert hits(negative) == ([("EX", 1, subject(1))] if dose < 0 else [])
    unit = {"when": {"--DOSE": {"populated": True}}, "then": {"--DOSU": {"populated": True}}}
    result = check("conditional_values", _ex_dose(dose, EXDOSU=""), params=unit)
    assert hits(result) == [("EX", 1, subject(1)), ("EX", 2, subject(2))]
    text = {"when": {"--DOSE": {"populated": True}}, "then": {"--DOSTXT": {"populated": False}}}
    result = check("conditional_values", _ex_dose(dose, EXDOSTXT="HIGH"), params=text)
    assert hits(result) == [("EX", 1, subject(1)), ("EX", 2, subject(2))]
    assert result.findings[0].values["EXDOSE"] == plain(dose)


@pytest.mark.parametrize("age", HUGE)
def test_a_huge_or_infinite_age_is_judged(age):
    dm = make_dm({"USUBJID": subject(1), "AGEU": ""})
    dm.frame["AGE"] = pd.Series([age], index=dm.frame.index, dtype="float64")
    params = {
        "datasets": ["DM"],
        "when_any": {"AGE": {"populated": True}},
        "then": {"AGEU": {"populated": True}},
    }
    result = check("conditional_values", dm, params=params)
    assert hits(result) == [("DM", 1, subject(1))]
    assert "the check broke" not in (result.reason or "")


def test_a_whole_number_beyond_int64_compares_as_its_float_text():
    dm = make_dm({"USUBJID": subject(1)}, {"USUBJID": subject(2)})
    dm.frame["AGE"] = pd.Series([float(2**64), 3.0], index=dm.frame.index)
    params = {"then": {"AGE": {"in": ["3", "18446744073709551616"]}}}
    assert hits(check("conditional_values", dm, params=params)) == [("DM", 1, subject(1))]
    params = {"then": {"AGE": {"in": ["3", "1.8446744073709552e+19"]}}}
    assert hits(check("conditional_values", dm, params=params)) == []


def test_number_text_keeps_huge_and_infinite_floats_as_floats():
    numbers = pd.Series([3.0, -0.0, 2.5, math.inf, -math.inf, 1e300, float(2**63), math.nan])
    assert number_text(numbers).tolist()[:7] == [
        "3",
        "0",
        "2.5",
        "inf",
        "-inf",
        "1e+300",
        "9.223372036854776e+18",
    ]
    assert number_text(numbers).isna().tolist()[-1]
    assert number_text(numbers.astype("Float64")).tolist()[:4] == ["3", "0", "2.5", "inf"]
    assert number_text(pd.Series([2**62, 1])).tolist() == ["4611686018427387904", "1"]


def test_plain_values_never_cast_beyond_int64_and_write_inf_as_text():
    numbers = pd.Series(
        [3.0, -0.0, math.inf, -math.inf, 1e300, float(2**63), math.nan, float(2**62)]
    )
    expected = [3, 0, "inf", "-inf", 1e300, float(2**63), None, 2**62]
    assert plain_values(numbers) == expected
    assert [plain(v) for v in numbers] == expected
    assert [plain(np.float32(v)) for v in (math.inf, 2.0)] == ["inf", 2]
    assert type(plain(1e300)) is float and type(plain(float(2**62))) is int
    json.dumps(plain_values(numbers), allow_nan=False)  # JSON has no inf: nothing left to refuse


@pytest.mark.filterwarnings("error::RuntimeWarning")
@pytest.mark.parametrize("dtype", ["float64", "Float64"])
def test_rounding_leaves_huge_and_infinite_numbers_as_they_are(dtype):
    numbers = pd.Series(
        [1e300, -1e308, math.inf, -math.inf, 1.23456789012, float(2**60)], dtype=dtype
    )
    assert rounded(numbers, 9).tolist() == [1e300, -1e308, math.inf, -math.inf, 1.23456789, 2.0**60]
    assert rounded(pd.Series([math.nan, 2.5]), 0).isna().tolist() == [True, False]


def test_utf8_length_counts_a_lone_surrogate_as_three_bytes():
    values = pd.Series(["\ud800", "x\udfffy", "é", None, "abc"], dtype="string")
    assert utf8_lengths(values).tolist()[:3] == [3, 5, 2]
    assert utf8_lengths(values.astype(object)).tolist()[4] == 3


def test_a_lone_surrogate_is_measured_by_sd_len():
    dm = make_dm(
        {"USUBJID": subject(1), "ARM": "\ud800" * 67}, {"USUBJID": subject(2), "ARM": "\ud800" * 66}
    )
    result = check("value_length", dm)
    assert result.status is Status.FAILED
    assert hits(result) == [("DM", 1, subject(1))]


def _extreme_study(numbers_as_text: bool) -> Study:
    """Datasets with every numeric and text variable cycling through extreme values; two
    ordinary subjects first so the rules that need sound data have some."""
    extremes = NUMBER_TEXTS if numbers_as_text else NUMBERS
    count = 2 + max(len(extremes), len(TEXTS))
    rows = [{"USUBJID": subject(i)} for i in range(count)]
    built = [_built(name, rows) for name in DATASETS]
    return Study({d.name: _fill(d, extremes) for d in built})


def _built(name: str, rows: list[dict]) -> Dataset:
    if name in BUILDERS:
        return BUILDERS[name](*rows)
    first = {"RDOMAIN": "AE", "QNAM": "AETRTEM"} if name.startswith("SUPP") else {"DOMAIN": name}
    return dataset(name, [{"STUDYID": STUDY, **first, **row} for row in rows])


def _fill(dataset: Dataset, numbers: list) -> Dataset:
    frame, name = dataset.frame, dataset.name
    extreme = slice(2, None)
    for column in [*frame.columns, *TEXT_ONLY[name], *NUMERIC[name]]:
        if column not in frame.columns:
            frame[column] = pd.Series("1", index=frame.index, dtype="string")
        cycle = numbers if column in NUMERIC[name] else TEXTS
        values = frame[column].astype(object)
        values.iloc[extreme] = [cycle[i % len(cycle)] for i in range(len(frame) - 2)]
        numeric = column in NUMERIC[name] and not isinstance(numbers[0], str)
        frame[column] = pd.to_numeric(values) if numeric else values.astype("string")
    return dataset


def _strict_json(text: str) -> object:
    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.filterwarnings("error::RuntimeWarning")  # an overflow would change a value
@pytest.mark.parametrize("numbers_as_text", [False, True], ids=["numbers", "number-texts"])
@pytest.mark.parametrize("spec", ["resolution", pytest.param("ab-101", marks=pytest.mark.slow)])
def test_no_rule_breaks_on_extreme_values(spec, numbers_as_text):
    """Every rule of the spec (the trial specs extend sdtm, so its rules too) passes, fails or
    says why it did not run; the JSON report and the HTML page's data are strict JSON."""
    assert {r.rule.id for r in load_spec("sdtm").rules} <= {
        r.rule.id for r in load_spec(spec).rules
    }
    report = validate_study(_extreme_study(numbers_as_text), load_spec(spec))
    broke = {r.rule.id: r.reason for r in report.results if r.status is Status.ERROR}
    assert broke == {}
    assert any(r.status is Status.FAILED for r in report.results)
    data = _strict_json(render_json(report))
    assert data["findings"]
    page = render_html(report)
    payload = re.search(r'<script type="application/json" id="tg-data">(.*?)</script>', page, re.S)
    assert payload is not None
    _strict_json(payload.group(1))
