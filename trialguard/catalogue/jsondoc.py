"""The rule catalogue as a JSON document: keys sorted, two-space indent, specs and rules in the
catalogue's order; `catalogue_from_json` reads it back."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from trialguard.catalogue.model import (
    Catalogue,
    CitedIds,
    Entry,
    Example,
    Override,
    Parameter,
    SpecSection,
)
from trialguard.errors import UsageError

SCHEMA = "trialguard rule catalogue"
SCHEMA_VERSION = 1


def catalogue_json(rule_catalogue: Catalogue) -> str:
    document = {"schema": SCHEMA, "schema_version": SCHEMA_VERSION, **asdict(rule_catalogue)}
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def catalogue_from_json(text: str) -> Catalogue:
    """The catalogue a `catalogue_json` document holds; another document is a UsageError."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(f"not a {SCHEMA}: not JSON ({error})") from error
    if not isinstance(document, dict) or document.get("schema") != SCHEMA:
        raise UsageError(f"not a {SCHEMA} (its schema key is not '{SCHEMA}')")
    try:
        return Catalogue(
            specs=tuple(_spec(spec) for spec in document["specs"]),
            reports=tuple(document["reports"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise UsageError(f"a {SCHEMA} without its parts: {error!s} is missing or wrong") from error


def _spec(data: dict[str, Any]) -> SpecSection:
    return SpecSection(
        **{key: tuple(data[key]) for key in ("extends", "requires", "protocol")},
        id=data["id"],
        title=data["title"],
        version=data["version"],
        rules_run=data["rules_run"],
        entries=tuple(_entry(entry) for entry in data["entries"]),
    )


def _entry(data: dict[str, Any]) -> Entry:
    plain = {key: value for key, value in data.items() if key not in _NESTED}
    override = data["override"]
    return Entry(
        **plain,
        parameters=tuple(Parameter(**p) for p in data["parameters"]),
        cited=CitedIds(**data["cited"]),
        run_by=tuple(data["run_by"]),
        flags=tuple(data["flags"]),
        override=_override(override) if override is not None else None,
        example=_example(data["example"]) if data["example"] is not None else None,
    )


_NESTED = ("parameters", "cited", "run_by", "flags", "override", "example")


def _override(data: dict[str, Any]) -> Override:
    return Override(data["base"], tuple(data["fields"]), tuple(data["params"]))


def _example(data: dict[str, Any]) -> Example:
    return Example(**{**data, "variables": tuple(data["variables"])})
