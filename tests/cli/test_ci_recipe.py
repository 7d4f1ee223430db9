"""The CI recipe of the docs (docs/ci.md), run as a script on a sequence of transfers: its
workflow's `run:` steps in order (stopping at the first that fails, as GitHub does), then its
commands that accept a transfer as the baseline of the next.

The first transfer (the planted-defects sample) has no baseline yet: every finding is new and
the job fails; it is accepted.  A second transfer with one more defect fails on that finding
alone; a second transfer with only the old findings passes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, SAMPLES

RECIPE_PAGE = ROOT / "docs" / "ci.md"
NEW_AGE = ("ALLO-329-101-0101", "24", "17")  # subject, AGE, an AGE below the protocol's 18


@dataclass(frozen=True)
class Recipe:
    steps: list[str]  # the workflow's run steps, without the installation
    accept: list[str]  # the commands that make an accepted transfer's report the baseline


def read_recipe(page: Path) -> Recipe:
    block = page.read_text(encoding="utf-8").split("<!-- ci-recipe -->")[1]
    workflow, commands = (
        re.search(rf"```{kind}\n(.*?)```", block, re.S) for kind in ("yaml", "sh")
    )
    assert workflow and commands, f"{page}: the CI recipe holds a yaml and an sh block"
    jobs = yaml.safe_load(workflow.group(1))["jobs"].values()
    steps = [s["run"] for job in jobs for s in job["steps"] if "run" in s]
    accept = commands.group(1).strip().splitlines()
    return Recipe([s for s in steps if "pip install" not in s], accept)


def run_shell(command: str, cwd: Path) -> subprocess.CompletedProcess:
    shell = command.replace("trialguard ", f"{sys.executable} -m trialguard ", 1)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GITHUB_STEP_SUMMARY": str(cwd / "summary.md")}
    return subprocess.run(
        shell, shell=True, cwd=cwd, capture_output=True, text=True, env=env, timeout=300
    )


def run_job(recipe: Recipe, cwd: Path) -> subprocess.CompletedProcess:
    """The workflow's steps in order; the first that fails ends the job."""
    for step in recipe.steps:
        result = run_shell(step, cwd)
        if result.returncode != 0:
            return result
    return result


def accept(recipe: Recipe, cwd: Path) -> None:
    for command in recipe.accept:
        assert run_shell(command, cwd).returncode == 0, command


def deliver(cwd: Path, change=None) -> None:
    """The planted-defects sample (CSV) as the transfer folder, changed by `change`."""
    folder = cwd / "transfer"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(SAMPLES / "defects-csv", folder)
    if change is not None:
        change(folder)


def plant_young_subject(folder: Path) -> None:
    subject, age, young = NEW_AGE
    dm = folder / "dm.csv"
    lines = dm.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if f",{subject}," in line)
    lines[at] = lines[at].replace(f",{age},YEARS,", f",{young},YEARS,")
    dm.write_text("\n".join(lines) + "\n")


def reorder_subjects(folder: Path) -> None:
    """The same records in another order: every record number changes, no finding does."""
    dm = folder / "dm.csv"
    header, *records = dm.read_text().splitlines()
    dm.write_text("\n".join([header, *reversed(records)]) + "\n")


def report_of(cwd: Path) -> dict:
    return json.loads((cwd / "reports" / "transfer.json").read_text())


@pytest.fixture(scope="module")
def recipe() -> Recipe:
    return read_recipe(RECIPE_PAGE)


@pytest.fixture
def baseline(recipe, tmp_path) -> Path:
    """A job folder whose first transfer ran (every finding new, the job failed) and was
    accepted: its report is the baseline of the next transfer."""
    (tmp_path / "waivers.yaml").write_text("waivers: []\n")
    deliver(tmp_path)
    first = run_job(recipe, tmp_path)
    assert first.returncode == 1, first.stderr
    report = report_of(tmp_path)
    assert report["comparison"]["previous"]["kind"] == "first transfer"
    assert {f["history"] for f in report["findings"]} == {"new"}
    assert "[persisting]" not in first.stdout and "[new]" in first.stdout
    accept(recipe, tmp_path)
    return tmp_path


def test_the_recipe_gates_on_new_findings_and_runs_its_own_commands(recipe):
    assert any("--fail-on-new" in step and "--previous" in step for step in recipe.steps)
    assert recipe.accept, "the recipe says how a transfer is accepted"


def test_a_new_defect_fails_the_next_transfer_on_that_finding_alone(recipe, baseline):
    deliver(baseline, plant_young_subject)
    result = run_job(recipe, baseline)
    assert result.returncode == 1, result.stderr
    report = report_of(baseline)
    new = [(f["rule_id"], f["usubjid"]) for f in report["findings"] if f["history"] == "new"]
    assert new == [("RES-AGE", NEW_AGE[0])]
    persisting = sum(f["history"] == "persisting" for f in report["findings"])
    assert report["verdict_reason"] == (
        f"new findings at or above error; {persisting} persisting finding(s) do not gate "
        "(--fail-on-new)"
    )
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"::error title=RES-AGE [new] (DM record 1 {NEW_AGE[0]})")
    junit = ET.parse(baseline / "reports" / "junit.xml").getroot().find("testsuite")
    failed = [
        c.get("name").split(":")[0] for c in junit.iter("testcase") if c.find("failure") is not None
    ]
    assert failed == ["RES-AGE"] and junit.get("failures") == "1"


def test_a_transfer_with_only_the_old_findings_passes(recipe, baseline):
    deliver(baseline, reorder_subjects)
    result = run_job(recipe, baseline)
    assert result.returncode == 0, result.stdout + result.stderr
    report = report_of(baseline)
    assert report["verdict"] == "accept" and report["fail_on_new"] is True
    assert report["findings"] and {f["history"] for f in report["findings"]} == {"persisting"}
    summary = (baseline / "summary.md").read_text()
    assert "## trialguard: ACCEPT" in summary and "| new | 0 | 0 | 0 | 0 |" in summary
