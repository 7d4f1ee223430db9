"""Which rule kinds a built-in GX expectation expresses, and the expectations that express them.

Exact kinds give GX the same records trialguard finds (given the frame `frames.gx_frame` makes
and the parameters `frames.suite_parameters` computes); approximate kinds are exported only when
asked for, each marked with why GX differs.  Every other kind compares records across rows,
datasets or dates in ways no built-in expectation states, and is listed as not exported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from trialguard.spec.loader import LoadedRule, Spec
from trialguard.standards import Standards
from trialguard.validators.conformance.domains import (
    CORE_DATASETS,
    KEYS,
    REQ,
    Variable,
    domain_variables,
)
from trialguard.validators.conformance.schema import HIDDEN_CHARACTERS
from trialguard.validators.gx.frames import STUDYID_PARAMETER, USUBJID_PARAMETER

DATASETS = CORE_DATASETS  # GX suites are exported for DM, EX, AE and DL
GX_SEVERITY = {"error": "critical", "warning": "warning", "notice": "info"}


class NotExportable(Exception):
    """A rule of an exportable kind that this export cannot express; the text says why."""


@dataclass(frozen=True)
class Planned:
    """One expectation of one dataset's suite, before its rule's metadata is added."""

    dataset: str
    type: str
    kwargs: dict[str, Any]
    variables: tuple[str, ...]
    if_column_present: bool = True  # trialguard skips it when the dataset lacks a column
    parameters: tuple[str, ...] = ()


@dataclass(frozen=True)
class Target:
    """What an export is for: the spec, the standards its codelists and variables come from."""

    spec: Spec
    standards: Standards

    @property
    def model(self) -> str:
        return self.standards.ig.model


Builder = Callable[[LoadedRule, Target], list[Planned]]


def column_expectation(dataset: str, type_: str, name: str, **kwargs: Any) -> Planned:
    return Planned(dataset, type_, {"column": name, **kwargs}, (name,))


def each_variable(
    target: Target, keep: Callable[[Variable], bool], type_: str, **kwargs: Any
) -> list[Planned]:
    """One expectation per SDTMIG variable `keep` accepts, in every dataset."""
    return [
        column_expectation(name, type_, v.name, **kwargs)
        for name in DATASETS
        for v in domain_variables(name, target.model)
        if keep(v)
    ]


def in_parameter(datasets: tuple[str, ...], name: str, parameter: str) -> list[Planned]:
    """`name` takes only the values a suite parameter lists, in each of `datasets`."""
    kwargs = {"column": name, "value_set": {"$PARAMETER": parameter}}
    return [
        Planned(d, "expect_column_values_to_be_in_set", kwargs, (name,), parameters=(parameter,))
        for d in datasets
    ]


def required_variables(rule: LoadedRule, target: Target) -> list[Planned]:
    core = rule.params.model_dump()["core"]
    return [
        Planned(name, "expect_column_to_exist", {"column": v.name}, (v.name,), False)
        for name in DATASETS
        for v in domain_variables(name, target.model)
        if v.core == core
    ]


def required_values(rule: LoadedRule, target: Target) -> list[Planned]:
    return each_variable(target, lambda v: v.core == REQ, "expect_column_values_to_not_be_null")


def controlled_terminology(rule: LoadedRule, target: Target) -> list[Planned]:
    params = rule.params.model_dump()
    release = target.standards.ct
    if params["against"] == "full_release" and release.bundled:
        raise NotExportable("it checks against a full CT release: export with --ct FILE")
    if params["against"] == "bundled_subset" and not release.bundled:
        raise NotExportable(f"it runs only without a CT release; this export uses {release.title}")
    sponsor = target.spec.terminology.sponsor_terms
    planned = []
    for name in DATASETS:
        for v in domain_variables(name, target.model):
            if v.codelist is None:
                continue
            codelist = release.codelist(v.codelist)
            if codelist.extensible != params["extensible"]:
                continue
            terms = sorted(codelist.terms | set(sponsor.get(v.codelist, [])))
            planned.append(
                column_expectation(
                    name, "expect_column_values_to_be_in_set", v.name, value_set=terms
                )
            )
    return planned


def domain_value(rule: LoadedRule, target: Target) -> list[Planned]:
    return [
        column_expectation(name, "expect_column_values_to_be_in_set", "DOMAIN", value_set=[name])
        for name in DATASETS
    ]


def unique_keys(rule: LoadedRule, target: Target) -> list[Planned]:
    planned = []
    for name in DATASETS:
        keys = list(KEYS[name])
        if len(keys) == 1:
            planned.append(column_expectation(name, "expect_column_values_to_be_unique", keys[0]))
            continue
        # ignore_row_if "never": records with empty key parts are compared too, as pandera does
        kwargs = {"column_list": keys, "ignore_row_if": "never"}
        planned.append(Planned(name, "expect_compound_columns_to_be_unique", kwargs, tuple(keys)))
    return planned


def printable_text(rule: LoadedRule, target: Target) -> list[Planned]:
    return each_variable(
        target, lambda v: True, "expect_column_values_to_not_match_regex", regex=HIDDEN_CHARACTERS
    )


def subject_in_dm(rule: LoadedRule, target: Target) -> list[Planned]:
    subject_datasets = tuple(name for name in DATASETS if name != "DM")  # GX: the core four
    return in_parameter(subject_datasets, "USUBJID", USUBJID_PARAMETER)


def single_studyid(rule: LoadedRule, target: Target) -> list[Planned]:
    return in_parameter(DATASETS, "STUDYID", STUDYID_PARAMETER)


def age_range(rule: LoadedRule, target: Target) -> list[Planned]:
    params = rule.params.model_dump()
    kwargs: dict[str, Any] = {"column": "AGE", "min_value": params["min_age"]}
    if params["max_age"] is not None:
        kwargs |= {"max_value": params["max_age"], "strict_max": True}
    kwargs["row_condition"] = condition_any(
        condition_equals("AGEU", "YEARS"), condition_null("AGEU")
    )
    # Not skipped when a column is absent: trialguard does not run the rule without AGE.
    return [Planned("DM", "expect_column_values_to_be_between", kwargs, ("AGE", "AGEU"), False)]


def exposure_route(rule: LoadedRule, target: Target) -> list[Planned]:
    day0 = target.spec.protocol.day0
    if day0 is None:
        raise NotExportable("the spec names no Day 0 product (protocol.day0), so no EX records")
    route = rule.params.model_dump()["route"]
    condition = condition_equals("EXTRT", day0.extrt)
    shown = ("EXTRT", "EXROUTE")
    in_set = {"column": "EXROUTE", "value_set": [route], "row_condition": condition}
    not_null = {"column": "EXROUTE", "row_condition": condition}
    return [
        Planned("EX", "expect_column_values_to_be_in_set", in_set, shown, False),
        Planned("EX", "expect_column_values_to_not_be_null", not_null, shown, False),
    ]


# GX row conditions (GX 1.9 and later) as they serialize: the expectation looks only at the
# records where the condition holds.
def condition_equals(name: str, value: str) -> dict[str, Any]:
    return {"type": "comparison", "column": {"name": name}, "operator": "==", "parameter": value}


def condition_null(name: str) -> dict[str, Any]:
    return {"type": "nullity", "column": {"name": name}, "is_null": True}


def condition_any(*conditions: dict[str, Any]) -> dict[str, Any]:
    return {"type": "or", "conditions": list(conditions)}


EXACT: dict[str, Builder] = {
    "required_variables": required_variables,
    "required_values": required_values,
    "controlled_terminology": controlled_terminology,
    "domain_value": domain_value,
    "unique_keys": unique_keys,
    "printable_text": printable_text,
    "subject_in_dm": subject_in_dm,
    "single_studyid": single_studyid,
    "age_range": age_range,
    "exposure_route": exposure_route,
}
