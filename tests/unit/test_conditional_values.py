"""conditional_values: records selected by `when` tests must pass the `then` tests."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import check, hits, make_ae, make_dm, make_ex, subject
from pydantic import ValidationError

from trialguard.validators.conditions import Test, describe, holds
from trialguard.validators.conformance.conditional_values import Params

CRITERIA = {"AESDTH": {"equals": "Y"}, "AESHOSP": {"equals": "Y"}}


def test_a_criterion_y_needs_aeser_y_and_empty_aeser_fails_too():
    ae = make_ae(
        {"USUBJID": subject(1), "AESER": "N", "AESHOSP": "Y", "AESDTH": "N"},
        {"USUBJID": subject(2), "AESER": "Y", "AESHOSP": "Y", "AESDTH": "N"},
        {"USUBJID": subject(3), "AESER": "", "AESHOSP": "N", "AESDTH": "Y"},
        {"USUBJID": subject(4), "AESER": "N", "AESHOSP": "N", "AESDTH": "N"},
    )
    params = {"datasets": ["AE"], "when_any": CRITERIA, "then": {"AESER": {"equals": "Y"}}}
    result = check("conditional_values", ae, params=params)
    assert hits(result) == [("AE", 1, subject(1)), ("AE", 3, subject(3))]
    first = result.findings[0]
    assert first.values == {"AESDTH": "N", "AESHOSP": "Y", "AESER": "N"}
    assert first.message == "AESHOSP is 'Y', but AESER is 'N' (not 'Y')"


def test_then_any_needs_one_test_to_hold():
    ae = make_ae(
        {"USUBJID": subject(1), "AESER": "Y", "AESHOSP": "N", "AESDTH": "N"},
        {"USUBJID": subject(2), "AESER": "Y", "AESHOSP": "Y", "AESDTH": "N"},
    )
    params = {"when": {"AESER": {"equals": "Y"}}, "then_any": CRITERIA}
    assert hits(check("conditional_values", ae, params=params)) == [("AE", 1, subject(1))]


def test_dm_values_are_joined_by_subject():
    dm = make_dm({"USUBJID": subject(1), "DTHFL": "Y"}, {"USUBJID": subject(2), "DTHFL": ""})
    ae = make_ae(
        {"USUBJID": subject(1), "AEOUT": "FATAL"},
        {"USUBJID": subject(2), "AEOUT": "FATAL"},
        {"USUBJID": subject(2), "AEOUT": "RECOVERED/RESOLVED"},
    )
    params = {
        "datasets": ["AE"],
        "when": {"AEOUT": {"equals": "FATAL"}},
        "then": {"DM.DTHFL": {"equals": "Y"}},
    }
    result = check("conditional_values", dm, ae, params=params)
    assert hits(result) == [("AE", 2, subject(2))]
    assert result.findings[0].values == {"AEOUT": "FATAL", "DM.DTHFL": None}


def test_a_dm_without_usubjid_leaves_dm_values_untested_not_broken():
    dm = make_dm({"USUBJID": subject(1), "DTHFL": "Y"})
    dm.frame = dm.frame.drop(columns=["USUBJID"])
    ae = make_ae({"USUBJID": subject(1), "AEOUT": "FATAL"})
    params = {
        "datasets": ["AE"],
        "when": {"AEOUT": {"equals": "FATAL"}},
        "then": {"DM.DTHFL": {"equals": "Y"}},
    }
    result = check("conditional_values", dm, ae, params=params)
    assert result.status == "not_run" and "DM.DTHFL" in result.reason


def test_domain_prefixes_and_comparisons_between_variables():
    ae = make_ae(
        {"USUBJID": subject(1), "AESTDY": "5", "AEENDY": "3"},
        {"USUBJID": subject(2), "AESTDY": "3", "AEENDY": "5"},
        {"USUBJID": subject(3), "AESTDY": "3", "AEENDY": ""},
    )
    ex = make_ex({"USUBJID": subject(1), "EXSTDY": "2", "EXENDY": "1"})
    params = {"then": {"--STDY": {"at_most": "--ENDY"}}}
    result = check("conditional_values", ae, ex, params=params)
    assert hits(result) == [("AE", 1, subject(1)), ("EX", 1, subject(1))]
    messages = {f.domain: f.message for f in result.findings}
    assert messages == {
        "AE": "AESTDY '5' is greater than AEENDY '3'",
        "EX": "EXSTDY '2' is greater than EXENDY '1'",
    }


def test_populated_as_differs_from_and_at_least():
    dm = make_dm(
        {"USUBJID": subject(1), "ARMCD": "A", "ARM": ""},
        {"USUBJID": subject(2), "ARMCD": "", "ARM": "Arm B", "AGE": "-1"},
        {"USUBJID": subject(3), "ARMCD": "", "ARM": ""},
    )
    paired = {"then": {"ARMCD": {"populated_as": "ARM"}}}
    assert hits(check("conditional_values", dm, params=paired)) == [
        ("DM", 1, subject(1)),
        ("DM", 2, subject(2)),
    ]
    negative = {"then": {"AGE": {"at_least": 0}}}
    assert hits(check("conditional_values", dm, params=negative)) == [("DM", 2, subject(2))]
    ae = make_ae(
        {"USUBJID": subject(1), "AECAT": "Nausea", "AEDECOD": "Nausea"},
        {"USUBJID": subject(2), "AECAT": "", "AEDECOD": "Nausea"},
    )
    copy = {"then": {"--CAT": [{"differs_from": "--DECOD"}]}}
    assert hits(check("conditional_values", ae, params=copy)) == [("AE", 1, subject(1))]


def test_an_absent_when_variable_leaves_the_dataset_out_an_absent_then_variable_is_not_tested():
    dm = make_dm({"USUBJID": subject(1)})
    params = {"when": {"DTHDTC": {"populated": True}}, "then": {"DTHFL": {"equals": "Y"}}}
    result = check("conditional_values", dm, params=params)
    assert result.status == "not_run" and "lacks the variables it tests (DTHDTC" in result.reason
    ae = make_ae({"USUBJID": subject(1), "AESER": "Y"})
    params = {"when": {"AESER": {"equals": "Y"}}, "then_any": {"AESMIE": {"equals": "Y"}}}
    assert check("conditional_values", ae, params=params).status == "not_run"


@pytest.mark.parametrize(
    "params",
    [
        {"when": {"AESER": {"equals": "Y"}}},  # nothing to test
        {"then": {"AESER": {"equals": "Y", "populated": True}}},  # two tests in one
        {"then": {"AESER": {}}},
        {"then": {"AESER": {"equal": "Y"}}},
    ],
)
def test_malformed_params_are_refused(params):
    with pytest.raises(ValidationError):
        Params.model_validate(params)


def test_descriptions_read_as_sentences():
    assert describe(Test(populated=False), "AEENDTC", negated=True) == "AEENDTC is filled"
    assert describe(Test.model_validate({"in": ["A", "B"]}), "X") == "X is one of 'A', 'B'"
    assert describe(Test(not_in=["OTHER"]), "EXTRT", negated=True) == "EXTRT is 'OTHER'"


@pytest.mark.parametrize(
    "test",
    [
        {"equals": "Y"},
        {"in": ["Y", "N"]},
        {"not_in": ["N"]},
        {"populated": True},
        {"populated": False},
    ],
)
def test_single_variable_tests_on_distinct_values_match_the_record_by_record_result(test):
    """Tests of one variable run once per distinct value; missing, blank and padded values
    must come out as they would record by record."""
    values = ["Y", "N", "", None, " Y", "Y", None, "N", "X"]
    ae = make_ae(*({"USUBJID": subject(i), "AESER": v} for i, v in enumerate(values, 1)))
    params = {"when": {"AESER": test}, "then": {"AESER": {"equals": "never"}}}
    expected = holds(Test.model_validate(test), pd.Series(values, dtype="string"), None)
    records = [record for _, record, _ in hits(check("conditional_values", ae, params=params))]
    assert records == [i for i, held in enumerate(expected, 1) if held]
