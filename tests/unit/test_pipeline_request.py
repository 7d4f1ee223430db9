"""The first stage of a library call: every option checked before any dataset is read, and the
command the report records (a fixed timestamp's run id is derived from it)."""

from __future__ import annotations

import inspect

import pytest
from conftest import SAMPLES

from trialguard.errors import UsageError
from trialguard.pipeline import validate
from trialguard.pipeline_request import ValidateCall, resolve_request

DEFAULTS = {
    name: parameter.default
    for name, parameter in inspect.signature(validate).parameters.items()
    if parameter.default is not parameter.empty
}


def call(paths, **given) -> ValidateCall:
    """The call `validate(paths, "resolution", **given)` makes."""
    return ValidateCall(paths=paths, spec="resolution", **(DEFAULTS | given))


def test_the_command_names_the_options_given_in_one_order_whatever_the_callers():
    request = resolve_request(
        call(
            [SAMPLES / "defects", "extra/dm.xpt"],
            ignore="SD-CT-EXT",
            select="SD-CT",
            first_transfer=True,
            fail_on="warning",
            dataset_names={"dlt.xpt": "DL"},
            ig="SDTMIG 3.3",
            waivers="w.yaml",
            previous="old",
        )
    )
    assert request.command == (
        f"trialguard.validate([{str(SAMPLES / 'defects')!r}, 'extra/dm.xpt'], "
        "spec='resolution', previous='old', waivers='w.yaml', ig='3.3', "
        "dataset_names=\"{'dlt.xpt': 'DL'}\", first_transfer=True, fail_on='warning', "
        "select=['SD-CT'], ignore=['SD-CT-EXT'])"
    )
    assert resolve_request(call("nowhere", command="given")).command == "given"


@pytest.mark.parametrize(
    ("given", "named"),
    [
        ({"timestamp": "soon", "select": "SD-TYPO"}, "--select SD-TYPO"),
        ({"encoding": "nope", "fail_on": "sometimes"}, "fail_on must be one of"),
        ({"ig": "9.9", "timestamp": "soon"}, "timestamp 'soon'"),
    ],
)
def test_of_two_bad_options_the_rules_come_before_the_run_and_the_run_before_the_standards(
    given, named
):
    with pytest.raises(UsageError, match=named):
        resolve_request(call("nowhere", **given))  # no dataset is read: "nowhere" is not named


def test_the_call_record_has_a_field_for_each_parameter_of_validate_and_no_other():
    """`validate` records its arguments as `ValidateCall(**locals())`: a parameter added to one
    and not the other fails here, not in a user's run."""
    import dataclasses
    import inspect

    from trialguard.pipeline import validate
    from trialguard.pipeline_request import ValidateCall

    fields = [field.name for field in dataclasses.fields(ValidateCall)]
    assert fields == list(inspect.signature(validate).parameters)
