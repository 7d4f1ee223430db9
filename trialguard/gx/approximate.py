"""Kinds a GX expectation expresses only approximately, exported with `--approximate`, each with
the case where GX and trialguard answer differently."""

from __future__ import annotations

import re

from trialguard.gx.expectations import Builder, Planned, Target, each_variable
from trialguard.sdtm.dates import ISO8601_DURATION, ISO8601_POINT
from trialguard.spec.loader import LoadedRule
from trialguard.validators.conformance.schema import XPT_MAX_VALUE_BYTES


def _unanchored(pattern: str) -> str:
    """A pattern without anchors and capturing groups (pandas warns of those), to combine."""
    plain = re.sub(r"\?P<\w+>", "", pattern).removeprefix("^").removesuffix("$")
    return re.sub(r"\((?!\?)", "(?:", plain)


_POINT = rf"(?![^/]*[-:T](?:/|$)){_unanchored(ISO8601_POINT)}"
_DURATION = _unanchored(ISO8601_DURATION)
ISO8601_TEXT = rf"^(?:{_POINT}(?:/(?:{_POINT}|{_DURATION}))?|{_DURATION}/{_POINT})$"
NUMBER_TEXT = r"^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*$"

WHY = {
    "iso8601_dates": "a regular expression cannot know the calendar: 2025-02-30 and 2025-13 "
    "match it, and trialguard rejects them",
    "numeric_values": "GX matches the text a regular expression allows; trialguard accepts what "
    "parses as a number, such as inf",
    "value_length": f"GX counts characters and XPT v5 limits bytes: {XPT_MAX_VALUE_BYTES} "
    "characters of 'é' are twice that many bytes in UTF-8",
}


def iso8601_dates(rule: LoadedRule, target: Target) -> list[Planned]:
    matches = "expect_column_values_to_match_regex"
    return each_variable(target, lambda v: v.is_date, matches, regex=ISO8601_TEXT)


def numeric_values(rule: LoadedRule, target: Target) -> list[Planned]:
    matches = "expect_column_values_to_match_regex"
    return each_variable(target, lambda v: v.numeric, matches, regex=NUMBER_TEXT)


def value_length(rule: LoadedRule, target: Target) -> list[Planned]:
    lengths = "expect_column_value_lengths_to_be_between"
    return each_variable(target, lambda v: not v.numeric, lengths, max_value=XPT_MAX_VALUE_BYTES)


APPROXIMATE: dict[str, Builder] = {
    "iso8601_dates": iso8601_dates,
    "numeric_values": numeric_values,
    "value_length": value_length,
}
