"""One CDISC Open Rule (a `rule.yml` of the CORE rule format) as trialguard reads it.

Only what execution and the report need is kept; every other key of the file is left alone.
A rule whose shape is wrong raises `RuleProblem` with the reason, and is listed as not run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

IG_VERSIONS = ("3.2", "3.3", "3.4")
RULE_TYPES = (
    "Record Data",
    "Dataset Metadata Check",
    "Variable Metadata Check",
    "Domain Presence Check",
    "Value Check with Variable Metadata",
    "Value Check with Dataset Metadata",
)


class RuleProblem(Exception):
    """A rule.yml that cannot be run as written; the text is the reason."""


@dataclass(frozen=True)
class Match:
    """One entry of `Match Datasets`: the dataset joined to the one checked, on `keys`."""

    name: str
    keys: tuple[str, ...]
    child: bool = False
    wildcard: str | None = None


@dataclass(frozen=True)
class Operation:
    """One entry of `Operations`: a value computed from the data, named by its `$id`."""

    id: str
    operator: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Scope:
    """Classes and domains a rule includes and excludes (an empty Include takes all)."""

    classes_in: tuple[str, ...] = ()
    classes_out: tuple[str, ...] = ()
    domains_in: tuple[str, ...] = ()
    domains_out: tuple[str, ...] = ()


@dataclass(frozen=True)
class Citation:
    """Where an Authority cites the rule: organisation, standard and version, and its id."""

    organization: str
    standard: str
    version: str
    rule_id: str


@dataclass(frozen=True)
class OpenRule:
    id: str  # the CORE id, CORE-000001
    description: str
    message: str
    rule_type: str
    sensitivity: str  # Record or Dataset
    executability: str
    check: dict[str, Any]
    scope: Scope
    citations: tuple[Citation, ...]
    output_variables: tuple[str, ...] = ()
    matches: tuple[Match, ...] = ()
    operations: tuple[Operation, ...] = ()
    status: str = "Published"
    path: str = ""

    @property
    def ig_versions(self) -> tuple[str, ...]:
        """The SDTMIG versions whose Authorities cite the rule (CDISC or FDA)."""
        cited = {c.version for c in self.citations if c.standard == "SDTMIG"}
        return tuple(v for v in IG_VERSIONS if v in cited)

    def cited_ids(self, version: str | None = None) -> tuple[str, ...]:
        """The CG/FDA ids citing the rule (for one SDTMIG version, or any)."""
        ids = [
            c.rule_id
            for c in self.citations
            if c.standard == "SDTMIG" and (version is None or c.version == version)
        ]
        return tuple(dict.fromkeys(ids))


def parse_rule(data: Any, path: str = "") -> OpenRule:
    """The rule a rule.yml holds; RuleProblem when it lacks what execution needs."""
    if not isinstance(data, dict):
        raise RuleProblem("a rule.yml holds a mapping of the rule's fields")
    core = _mapping(data, "Core")
    rule_id = str(core.get("Id") or "")
    if not rule_id:
        raise RuleProblem("Core.Id is missing")
    check = data.get("Check")
    if not isinstance(check, dict):
        raise RuleProblem("Check is missing or not a mapping")
    outcome = _mapping(data, "Outcome")
    return OpenRule(
        id=rule_id,
        description=str(data.get("Description") or "").strip(),
        message=str(outcome.get("Message") or data.get("Description") or rule_id).strip(),
        rule_type=str(data.get("Rule Type") or ""),
        sensitivity=str(data.get("Sensitivity") or "Record"),
        executability=str(data.get("Executability") or ""),
        check=check,
        scope=_scope(_mapping(data, "Scope")),
        citations=_citations(data.get("Authorities") or []),
        output_variables=tuple(str(v) for v in outcome.get("Output Variables") or []),
        matches=tuple(_match(entry) for entry in data.get("Match Datasets") or []),
        operations=tuple(_operation(entry) for entry in data.get("Operations") or []),
        status=str(core.get("Status") or ""),
        path=path,
    )


def _mapping(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise RuleProblem(f"{key} is not a mapping")
    return value


def _names(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    return tuple(str(v).strip().upper() for v in items)


def _scope(scope: dict[str, Any]) -> Scope:
    classes = scope.get("Classes") or {}
    domains = scope.get("Domains") or {}
    if not isinstance(classes, dict) or not isinstance(domains, dict):
        raise RuleProblem("Scope.Classes and Scope.Domains are mappings of Include/Exclude")
    return Scope(
        classes_in=_names(classes.get("Include")),
        classes_out=_names(classes.get("Exclude")),
        domains_in=_names(domains.get("Include")),
        domains_out=_names(domains.get("Exclude")),
    )


def _citations(authorities: Any) -> tuple[Citation, ...]:
    if not isinstance(authorities, list):
        raise RuleProblem("Authorities is not a list")
    cited = []
    for authority in authorities:
        organization = str(authority.get("Organization", ""))
        for standard in authority.get("Standards") or []:
            for reference in standard.get("References") or []:
                identifier = reference.get("Rule Identifier") or {}
                cited.append(
                    Citation(
                        organization,
                        str(standard.get("Name", "")),
                        str(standard.get("Version", "")),
                        str(identifier.get("Id", "")),
                    )
                )
    return tuple(cited)


def _match(entry: Any) -> Match:
    if not isinstance(entry, dict) or "Name" not in entry:
        raise RuleProblem("each Match Datasets entry names a dataset (Name)")
    keys = entry.get("Keys") or []
    return Match(
        name=str(entry["Name"]).upper(),
        keys=tuple(_key(k) for k in keys),
        child=bool(entry.get("Child", False)),
        wildcard=str(entry["Wildcard"]) if entry.get("Wildcard") else None,
    )


def _key(key: Any) -> str:
    if isinstance(key, dict):  # {left: X, right: Y}: different names on each side
        raise RuleProblem("Match Datasets keys with left/right names are not supported")
    return str(key)


def _operation(entry: Any) -> Operation:
    if not isinstance(entry, dict) or "id" not in entry or "operator" not in entry:
        raise RuleProblem("each Operations entry has an id and an operator")
    params = {k: v for k, v in entry.items() if k not in ("id", "operator")}
    return Operation(str(entry["id"]), str(entry["operator"]), params)
