"""Build the rule catalogue: each spec with the rules it defines or overrides, each rule as that
spec runs it (its parameters merged along `extends`), the specs that run that definition, and
an example finding from the given JSON reports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic_core import to_jsonable_python

from trialguard.catalogue.examples import ExampleReport, example_for, read_example_report
from trialguard.catalogue.model import (
    Catalogue,
    CitedIds,
    Entry,
    Override,
    Parameter,
    SpecSection,
)
from trialguard.catalogue.spec_files import Runners, SpecFiles
from trialguard.spec.catalogue import bundled_specs
from trialguard.spec.cited_ids import cited_ids
from trialguard.spec.describe import protocol_lines
from trialguard.spec.loader import LoadedRule
from trialguard.spec.models import Rule

UNSET = object()  # stands for a parameter the base rule does not set


@dataclass(frozen=True)
class _Sources:
    """What every section reads: the spec files, who runs each rule, the example reports."""

    files: SpecFiles
    runners: Runners
    reports: list[ExampleReport]


def build_catalogue(
    spec_ids: Sequence[str] | None = None, examples: Sequence[Path] = ()
) -> Catalogue:
    """Every bundled spec, or the named ones (names or YAML paths) with the specs they extend,
    bases first; the specs that run a rule are counted among these and every bundled spec;
    examples come from the JSON reports `examples`, in the order given."""
    reports = [read_example_report(Path(report)) for report in examples]
    bundled = [header.id for header in bundled_specs()]
    files = SpecFiles()
    shown = files.chains(bundled if spec_ids is None else spec_ids)
    counted = list(dict.fromkeys(files.chains(bundled) + shown))
    sources = _Sources(files, files.runners(counted), reports)
    sections = tuple(_section(sources, path) for path in shown)
    return Catalogue(sections, tuple(str(report) for report in examples))


def _section(sources: _Sources, path: Path) -> SpecSection:
    own, spec = sources.files.file(path), sources.files.spec(path)
    loaded = {rule.rule.id: rule for rule in spec.rules}
    entries = tuple(_entry(sources, path, loaded[rule.id], rule) for rule in own.rules)
    return SpecSection(
        id=own.id,
        title=own.title,
        version=own.version,
        extends=tuple(own.extends),
        requires=spec.requires,
        protocol=tuple(protocol_lines(spec.protocol)),
        rules_run=len(spec.rules),
        entries=entries,
    )


def _entry(sources: _Sources, path: Path, loaded: LoadedRule, written: Rule) -> Entry:
    """The rule as the spec at `path` runs it (`loaded`) and as its file writes it."""
    rule, check = loaded.rule, loaded.check
    run_by = sources.runners.get((path, rule.id), ())
    return Entry(
        id=rule.id,
        spec=sources.files.file(path).id,
        severity=rule.severity.value,
        kind=rule.kind,
        kind_summary=check.summary,
        category=check.category,
        stage=check.stage,
        description=rule.description,
        parameters=_parameters(loaded),
        message=loaded.message,
        source=rule.source,
        cited=CitedIds(*cited_ids(rule.id, rule.source)),
        run_by=run_by,
        override=_override(sources.files, path, written) if written.override else None,
        assumption=(rule.assumption or "assumed") if rule.assumed else None,
        flags=_flags(rule),
        example=example_for(rule.id, run_by, sources.reports),
    )


def _parameters(loaded: LoadedRule) -> tuple[Parameter, ...]:
    """Every parameter of the rule's kind as the rule runs, named as a spec writes it, and the
    spec that sets it; within a value, what is left unset (None) is left out."""
    parameters = []
    for name, info in type(loaded.params).model_fields.items():
        key = info.alias or name
        value = to_jsonable_python(getattr(loaded.params, name), by_alias=True, exclude_none=True)
        parameters.append(Parameter(key, value, loaded.param_origins.get(key, "default")))
    return tuple(parameters)


def _override(files: SpecFiles, path: Path, written: Rule) -> Override:
    """What the spec at `path` sets differently from the base rule it overrides."""
    base_path = files.base_of(path, written.id)
    base = next(r.rule for r in files.spec(base_path).rules if r.rule.id == written.id)
    restated = sorted(written.model_fields_set - {"id", "override", "params"})
    fields = [name for name in restated if getattr(written, name) != getattr(base, name)]
    params = [
        name for name, value in written.params.items() if base.params.get(name, UNSET) != value
    ]
    return Override(files.file(base_path).id, tuple(fields), tuple(params))


def _flags(rule: Rule) -> tuple[str, ...]:
    flags = [
        name for name, on in (("optional", rule.optional), ("disabled", not rule.enabled)) if on
    ]
    if rule.ig:
        flags.append("SDTMIG " + ", ".join(rule.ig) + " only")
    return tuple(flags)
