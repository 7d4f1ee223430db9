"""Layers point one way: checked on each module's import-time imports (its top-level `import`
statements; imports inside functions and under TYPE_CHECKING are not import-time)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "trialguard"


def import_time_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {n for n in names if n.startswith("trialguard")}


def every_import(path: Path) -> set[str]:
    """The trialguard modules a module imports anywhere: at the top, inside a function, under
    TYPE_CHECKING."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {n for n in names if n.startswith("trialguard")}


def modules(folder: str) -> list[Path]:
    base = PACKAGE / folder
    return sorted(base.rglob("*.py")) if base.is_dir() else [PACKAGE / f"{folder}.py"]


def offending(folder: str, forbidden: tuple[str, ...], allowed: tuple[str, ...] = ()) -> list:
    found = []
    for path in modules(folder):
        for name in import_time_imports(path):
            bad = name.startswith(forbidden) if forbidden else not name.startswith(allowed)
            if bad:
                found.append((path.relative_to(ROOT).as_posix(), name))
    return found


def test_reporting_imports_only_the_report_model():
    """... and the SDTM reference tables (a dataset's label and class in the workbook) and the
    ids a rule's source cites (the workbook's id columns)."""
    allowed = (
        "trialguard.findings",
        "trialguard.report_model",
        "trialguard.report_parts",
        "trialguard.reporting",
        "trialguard.scalars",
        "trialguard.sdtm",
        "trialguard.spec.cited_ids",
    )
    assert offending("reporting", (), allowed) == []


def test_the_renderers_never_import_the_report_that_calls_them():
    """`trialguard.report` imports the renderers to write its files: a renderer takes the report
    model, so no import of theirs, even inside a function, leads back to it."""
    found = [
        (path.relative_to(ROOT).as_posix(), name)
        for path in modules("reporting")
        for name in every_import(path)
        if name == "trialguard.report"
    ]
    assert found == []


@pytest.mark.parametrize(
    ("module", "allowed"),
    [
        ("report_parts", ("trialguard.findings",)),
        ("report_model", ("trialguard.findings", "trialguard.report_parts")),
        ("findings", ("trialguard.findings",)),
    ],
)
def test_the_report_model_imports_nothing_above_it(module, allowed):
    path = PACKAGE / f"{module}.py"
    assert path.exists()
    assert sorted(n for n in every_import(path) if not n.startswith(allowed)) == []


@pytest.mark.parametrize(
    "folder", ["runner", "validators", "spec", "readers", "sdtm", "gx", "openrules"]
)
def test_lower_layers_do_not_import_the_pipeline_or_the_cli(folder):
    assert offending(folder, ("trialguard.pipeline", "trialguard.cli")) == []


def test_the_runner_does_not_import_transfer():
    assert offending("runner", ("trialguard.transfer",)) == []


def test_spec_does_not_depend_on_validators_at_import_time():
    assert offending("spec", ("trialguard.validators",)) == []


def test_transfer_does_not_import_the_runner():
    assert offending("transfer", ("trialguard.runner", "trialguard.pipeline")) == []


def test_the_checks_do_not_import_the_gx_export_and_rule_building_above_them():
    assert offending("validators", ("trialguard.gx",)) == []


def test_no_module_imports_great_expectations_at_import_time():
    """GX costs seconds and hundreds of MB: only functions that need it import it."""
    importing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if any(n.split(".")[0] == "great_expectations" for n in names):
                importing.append(path.relative_to(ROOT).as_posix())
    assert importing == []


def test_the_open_rules_executor_does_not_import_the_report_or_its_writers():
    assert offending("openrules", ("trialguard.report", "trialguard.reporting")) == []
