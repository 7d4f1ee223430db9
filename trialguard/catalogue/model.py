"""The rule catalogue as data: specs, each with the rules it defines or overrides, each rule with
its effective parameters, the ids its source cites, the specs that run it and an example."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Parameter:
    """A rule's parameter as the rule runs: its value and the spec that sets it."""

    name: str
    value: Any  # as JSON writes it
    set_in: str  # the id of the spec that sets it, or "default" (the kind's default)


@dataclass(frozen=True)
class Override:
    """What a spec changes of a rule one of its bases defines."""

    base: str  # the id of the spec whose rule is overridden
    fields: tuple[str, ...]  # the rule's fields set again (severity, message, ...)
    params: tuple[str, ...]  # the parameters set again


@dataclass(frozen=True)
class CitedIds:
    """The other ids a rule is known by, each a comma-separated list (blank when none)."""

    pinnacle21: str
    publisher: str  # FDA, CDISC
    core: str  # CDISC CORE


@dataclass(frozen=True)
class Example:
    """A rule's first finding in a JSON report: where it is and what it says."""

    message: str
    dataset: str | None
    record: int | None
    usubjid: str | None
    variables: tuple[str, ...]
    values: dict[str, Any]  # by variable
    report: str  # the report file, as given
    spec: str  # the report's spec: id and version
    study: str  # the report's STUDYIDs, comma-separated


@dataclass(frozen=True)
class Entry:
    """One rule as the spec that defines (or overrides) it runs it."""

    id: str
    spec: str  # the id of the spec that defines or overrides it
    severity: str
    kind: str
    kind_summary: str
    category: str
    stage: str  # study or transfer
    description: str
    parameters: tuple[Parameter, ...]
    message: str  # its message template
    source: str
    cited: CitedIds
    run_by: tuple[str, ...]  # the specs that run this definition of the rule
    override: Override | None = None
    assumption: str | None = None  # the assumption it rests on, when assumed
    flags: tuple[str, ...] = ()  # optional, disabled
    example: Example | None = None


@dataclass(frozen=True)
class SpecSection:
    """A spec and the rules it defines or overrides, in the order of its file."""

    id: str
    title: str
    version: str
    extends: tuple[str, ...]
    requires: tuple[str, ...]  # datasets a transfer must hold (with those of its bases)
    protocol: tuple[str, ...]  # its protocol facts, one line each (with those of its bases)
    rules_run: int  # every rule the spec runs, its bases' included
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Catalogue:
    specs: tuple[SpecSection, ...]
    reports: tuple[str, ...] = ()  # the JSON reports the examples come from

    def entries(self) -> list[Entry]:
        return [entry for spec in self.specs for entry in spec.entries]
