"""Load a spec (YAML, `yaml.safe_load` only), resolve `extends`, validate rule parameters."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from trialguard.errors import SpecError
from trialguard.readers.dataset import sha256_of
from trialguard.spec.loaded import LoadedRule, Spec
from trialguard.spec.locations import validation_problems
from trialguard.spec.models import OpenRules, Protocol, Rule, SpecFile, Terminology
from trialguard.spec.paths import bundled_specs_folder, resolve_spec_path
from trialguard.spec.provenance import (
    ValueSource,
    protocol_sources,
    restates_provenance,
    with_protocol_sources,
)
from trialguard.yamlfile import read_yaml

MAX_RULES = 1_000


@dataclass
class _Parsed:
    path: Path
    model: SpecFile
    node: yaml.Node | None
    sha256: str


TRANSFER_BASE = "transfer"  # the rules about the transfer itself: a base of every spec


def load_spec(name_or_file: str) -> Spec:
    chain = _with_transfer_base(_load_chain(resolve_spec_path(name_or_file), seen=()))
    top = chain[-1]
    rules = _merge_rules(chain)
    study_rules = sum(1 for rule in rules if rule.check.stage == "study")
    if study_rules > MAX_RULES:
        raise SpecError(
            top.path,
            f"the spec and its bases define {study_rules:,} rules; the limit is {MAX_RULES:,} "
            "(every rule reads the whole study, so run time grows with rules x records)",
        )
    digest = hashlib.sha256("".join(p.sha256 for p in chain).encode()).hexdigest()
    return Spec(
        id=top.model.id,
        version=top.model.version,
        title=top.model.title,
        path=top.path,
        sha256=top.sha256 if len(chain) == 1 else digest,
        files=tuple((str(p.path), p.sha256) for p in chain),
        protocol=_merge_protocol(chain),
        terminology=_merge_terminology(chain),
        rules=tuple(rules),
        requires=_merge_requires(chain),
        extends=tuple(top.model.extends),
        open_rules=_merge_open_rules(chain),
    )


def rules_of_stage(spec: Spec, stage: str) -> list[LoadedRule]:
    return [rule for rule in spec.rules if rule.check.stage == stage]


def _with_transfer_base(chain: list[_Parsed]) -> list[_Parsed]:
    """The chain with the bundled transfer spec as its first base, unless it is there already."""
    if any(parsed.model.id == TRANSFER_BASE for parsed in chain):
        return chain
    return _load_chain(bundled_specs_folder() / f"{TRANSFER_BASE}.yaml", seen=()) + chain


def _load_chain(path: Path, seen: tuple[Path, ...]) -> list[_Parsed]:
    """The spec and its bases, bases first."""
    if path.resolve() in seen:
        raise SpecError(path, "extends itself (a cycle of extends)")
    parsed = _parse(path)
    chain: list[_Parsed] = []
    for base in parsed.model.extends:
        base_path = resolve_spec_path(base, relative_to=path.parent)
        known = {p.path.resolve() for p in chain}
        chain += [
            p
            for p in _load_chain(base_path, seen + (path.resolve(),))
            if p.path.resolve() not in known
        ]
    return chain + [parsed]


def _parse(path: Path) -> _Parsed:
    data, node = read_yaml(path, "spec")
    if not isinstance(data, dict):
        raise SpecError(path, "a spec must be a YAML mapping with id, version, title and rules")
    try:
        model = SpecFile.model_validate(data)
    except ValidationError as exc:
        raise _spec_error(path, exc, data, node, prefix=()) from exc
    _reject_duplicate_ids(path, model)
    return _Parsed(path, model, node, sha256_of(path))


def _reject_duplicate_ids(path: Path, model: SpecFile) -> None:
    seen: set[str] = set()
    for rule in model.rules:
        if rule.id in seen:
            raise SpecError(path, "duplicate rule id", rule.id)
        seen.add(rule.id)


@dataclass(frozen=True)
class _Merged:
    """A rule as merged so far: its fields, the spec that last set them and where."""

    rule: Rule
    parsed: _Parsed
    index: int  # its position in that spec's rules
    origin: str
    at: int  # that spec's position in the chain


def _merge_rules(chain: list[_Parsed]) -> list[LoadedRule]:
    merged: dict[str, _Merged] = {}
    param_origins: dict[str, dict[str, str]] = {}
    for at, parsed in enumerate(chain):
        for index, rule in enumerate(parsed.model.rules):
            merged[rule.id] = _merge_one(merged.get(rule.id), rule, parsed, index, at)
            origins = param_origins.setdefault(rule.id, {})
            origins.update({name: parsed.model.id for name in rule.params})
    values = protocol_sources([parsed.model.protocol for parsed in chain])
    return [
        _with_params(entry, param_origins[rule_id], values) for rule_id, entry in merged.items()
    ]


def _merge_one(base: _Merged | None, rule: Rule, parsed: _Parsed, index: int, at: int) -> _Merged:
    spec_id = parsed.model.id
    if base is None:
        if rule.override:
            raise SpecError(parsed.path, "says override: true but no base spec defines it", rule.id)
        return _Merged(rule, parsed, index, spec_id, at)
    if not rule.override:
        raise SpecError(
            parsed.path,
            f"duplicates a rule of base spec {base.origin}; add override: true to replace it",
            rule.id,
        )
    changes = rule.model_dump(exclude_unset=True, exclude={"override", "params"})
    if restates_provenance(rule):
        changes = {"assumed": False, "assumption": None} | changes
    params = {**base.rule.params, **rule.params}
    combined = base.rule.model_copy(update={**changes, "params": params, "override": True})
    return _Merged(combined, parsed, index, f"{base.origin}, overridden in {spec_id}", at)


def _with_params(
    entry: _Merged, param_origins: dict[str, str], values: dict[str, ValueSource]
) -> LoadedRule:
    from trialguard.validators.catalogue import check_kind

    rule, parsed = entry.rule, entry.parsed
    kind = check_kind(rule.kind)
    if kind is None:
        raise SpecError(parsed.path, f"unknown rule kind '{rule.kind}'", rule.id)
    try:
        params = kind.params.model_validate(rule.params)
    except ValidationError as exc:
        prefix = ("rules", entry.index, "params")
        raise _spec_error(parsed.path, exc, rule.params, parsed.node, prefix, rule.id) from exc
    sourced = with_protocol_sources(rule, rule.kind, entry.at, values)
    return LoadedRule(sourced, params, kind, entry.origin, param_origins)


def _merge_protocol(chain: list[_Parsed]) -> Protocol:
    merged: dict[str, Any] = {}
    for parsed in chain:
        merged.update(parsed.model.protocol.model_dump(exclude_none=True))
    return Protocol.model_validate(merged)


def _merge_requires(chain: list[_Parsed]) -> tuple[str, ...]:
    """Every dataset any spec of the chain requires, in order of first mention."""
    names = [name for parsed in chain for name in parsed.model.requires]
    return tuple(dict.fromkeys(names))


def _merge_open_rules(chain: list[_Parsed]) -> OpenRules:
    """The last spec naming a folder wins (resolved against its file); severities add up."""
    folder: str | None = None
    severity = {}
    for parsed in chain:
        setting = parsed.model.open_rules
        if setting.folder:
            folder = str((parsed.path.parent / setting.folder).resolve())
        severity.update(setting.severity)
    return OpenRules(folder=folder, severity=severity)


def _merge_terminology(chain: list[_Parsed]) -> Terminology:
    """Sponsor terms add up along the chain; the last spec that pins a CT release wins."""
    terms: dict[str, list[str]] = {}
    pinned = None
    for parsed in chain:
        for codelist, values in parsed.model.terminology.sponsor_terms.items():
            terms[codelist] = sorted(set(terms.get(codelist, [])) | set(values))
        pinned = parsed.model.terminology.ct_release or pinned
    return Terminology(sponsor_terms=terms, ct_release=pinned)


def _spec_error(path, exc: ValidationError, data, node, prefix, rule_id=None) -> SpecError:
    if rule_id is None and exc.errors():
        rule_id = _rule_id_at(data, tuple(exc.errors()[0]["loc"]), prefix)
    return SpecError(path, "; ".join(validation_problems(exc, node, prefix)), rule_id)


def _rule_id_at(data: Any, loc: tuple, prefix: tuple) -> str | None:
    if prefix or len(loc) < 2 or loc[0] != "rules" or not isinstance(data, dict):
        return None
    rules = data.get("rules")
    if isinstance(rules, list) and isinstance(loc[1], int) and loc[1] < len(rules):
        entry = rules[loc[1]]
        return str(entry.get("id")) if isinstance(entry, dict) and entry.get("id") else None
    return None
