"""`trialguard export-gx`: a spec's rules as GX suites (one JSON file per dataset) and a manifest
of every rule, exported or not and why.  The same spec and options give byte-identical files."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trialguard.errors import UsageError
from trialguard.gx.approximate import APPROXIMATE, WHY
from trialguard.gx.expectations import (
    DATASETS,
    EXACT,
    GX_SEVERITY,
    NotExportable,
    Planned,
    Target,
)
from trialguard.spec.loader import LoadedRule, Spec
from trialguard.standards import Standards
from trialguard.validators.gx.frames import PARAMETERS
from trialguard.version import __version__

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Export:
    """What an export wrote: the suite files by dataset, and every rule with what became of it."""

    suites: dict[str, Path]
    exported: list[dict[str, Any]]
    not_exported: list[dict[str, str]]
    manifest: Path


def export_suites(spec: Spec, out: Path, standards: Standards, approximate: bool = False) -> Export:
    """Write `<dataset>.json` for each dataset with an exported rule, and `manifest.json`."""
    target = Target(spec, standards)
    planned: list[tuple[LoadedRule, Planned, str | None]] = []
    exported, not_exported = [], []
    for rule in spec.rules:
        try:
            expectations, why_approximate = _plan(rule, target, approximate)
        except NotExportable as why:
            not_exported.append({"rule": rule.rule.id, "kind": rule.rule.kind, "why": str(why)})
            continue
        planned += [(rule, p, why_approximate) for p in expectations]
        exported.append(_exported_entry(rule, expectations, why_approximate))
    suites = _suites(spec, target, planned)
    paths = _write(out, suites)
    manifest = _manifest(spec, target, approximate, paths, exported, not_exported)
    manifest_path = out / MANIFEST
    _write_json(manifest_path, manifest)
    return Export(paths, exported, not_exported, manifest_path)


def _plan(rule: LoadedRule, target: Target, approximate: bool) -> tuple[list[Planned], str | None]:
    """The expectations of one rule and, for an approximate kind, why GX differs."""
    spec_rule = rule.rule
    if rule.check.stage != "study":
        raise NotExportable(
            f"it checks the transfer around the datasets ({rule.check.stage} stage)"
        )
    if not spec_rule.enabled:
        raise NotExportable("disabled in the spec (enabled: false)")
    if spec_rule.ig and target.model not in spec_rule.ig:
        raise NotExportable(
            f"it applies to SDTMIG {', '.join(spec_rule.ig)} only; this export is for SDTMIG "
            f"{target.standards.ig.version}"
        )
    if spec_rule.kind in EXACT:
        return EXACT[spec_rule.kind](rule, target), None
    if spec_rule.kind in APPROXIMATE:
        if not approximate:
            raise NotExportable(
                f"GX states it only approximately ({WHY[spec_rule.kind]}); --approximate "
                "exports it marked so"
            )
        return APPROXIMATE[spec_rule.kind](rule, target), WHY[spec_rule.kind]
    summary = rule.check.summary.rstrip(".")
    raise NotExportable(
        f"no built-in GX expectation states it ({rule.check.category} check: {summary})"
    )


def _exported_entry(rule: LoadedRule, planned: list[Planned], approximate: str | None) -> dict:
    entry: dict[str, Any] = {
        "rule": rule.rule.id,
        "kind": rule.rule.kind,
        "datasets": sorted({p.dataset for p in planned}, key=DATASETS.index),
        "expectations": len(planned),
    }
    if approximate:
        entry["approximate"] = approximate
    return entry


def _suites(spec: Spec, target: Target, planned: list) -> dict[str, dict[str, Any]]:
    by_dataset: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rule, expectation, why_approximate in planned:
        by_dataset[expectation.dataset].append(
            _expectation(spec, rule, expectation, why_approximate)
        )
    return {
        name: {
            "name": f"trialguard-{spec.id}-{name.lower()}",
            "id": None,
            "expectations": by_dataset[name],
            "meta": {"trialguard": _suite_meta(spec, target, name)},
            "notes": None,
        }
        for name in DATASETS
        if by_dataset[name]
    }


def _expectation(
    spec: Spec, rule: LoadedRule, planned: Planned, why_approximate: str | None
) -> dict[str, Any]:
    spec_rule = rule.rule
    meta: dict[str, Any] = {
        "rule": spec_rule.id,
        "kind": spec_rule.kind,
        "severity": spec_rule.severity.value,
        "description": spec_rule.description,
        "spec": {"id": spec.id, "version": spec.version, "sha256": spec.sha256},
        "variables": list(planned.variables),
        "if_column_present": planned.if_column_present,
    }
    if planned.parameters:
        meta["parameters"] = list(planned.parameters)
    if why_approximate:
        meta["approximate"] = why_approximate
    return {
        "type": planned.type,
        "kwargs": planned.kwargs,
        "meta": {"trialguard": meta},
        "severity": GX_SEVERITY[spec_rule.severity.value],
    }


def _suite_meta(spec: Spec, target: Target, dataset: str) -> dict[str, Any]:
    return {
        "dataset": dataset,
        "spec": {"id": spec.id, "version": spec.version, "sha256": spec.sha256},
        "sdtmig": target.standards.ig.version,
        "ct": target.standards.ct.title,
        "record_column": "_record",
        "tool_version": __version__,
    }


def _manifest(spec, target, approximate, paths, exported, not_exported) -> dict[str, Any]:
    return {
        "spec": {"id": spec.id, "version": spec.version, "sha256": spec.sha256},
        "sdtmig": target.standards.ig.version,
        "ct": target.standards.ct.title,
        "approximate": approximate,
        "tool_version": __version__,
        "suites": {name: path.name for name, path in paths.items()},
        "parameters": PARAMETERS,
        "exported": exported,
        "not_exported": not_exported,
    }


def _write(out: Path, suites: dict[str, dict[str, Any]]) -> dict[str, Path]:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"{out}: cannot create the folder ({error.strerror or error})") from error
    paths = {}
    for name, suite in suites.items():
        paths[name] = out / f"{name.lower()}.json"
        _write_json(paths[name], suite)
    return paths


def _write_json(path: Path, data: Any) -> None:
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"{path}: cannot write ({error.strerror or error})") from error
