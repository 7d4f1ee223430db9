"""The product as a user installs it: the wheel built from this tree, installed with its
dependencies into a fresh virtual environment, run from a folder outside the checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_data" / "resolution"
pytestmark = pytest.mark.installed_wheel


def run(*command: object, cwd: Path, timeout: int = 900) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    return subprocess.run(
        [str(c) for c in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def build_wheel(out: Path) -> Path:
    """The wheel of a copy of the source tree (building leaves no files in the checkout)."""
    source = out / "source"
    shutil.copytree(ROOT / "trialguard", source / "trialguard", ignore=_caches)
    for part in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / part, source / part)
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", out, source, cwd=out)
    assert built.returncode == 0, built.stderr
    (wheel,) = out.glob("trialguard-*.whl")
    return wheel


def _caches(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if n == "__pycache__"]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    place = tmp_path_factory.mktemp("wheel")
    (place / "source").mkdir()
    wheel = build_wheel(place)
    venv = place / "venv"
    made = run(sys.executable, "-m", "venv", venv, cwd=place)
    assert made.returncode == 0, made.stderr
    pip = run(venv / "bin" / "python", "-m", "pip", "install", "-q", wheel, cwd=place)
    assert pip.returncode == 0, pip.stderr
    return wheel, venv


def test_the_wheel_holds_the_specs_and_the_type_marker(installed):
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for spec in ("sdtm", "transfer", "cell-therapy", "resolution", "reset-02", "ab-101"):
        assert f"trialguard/specs/{spec}.yaml" in names
    assert "trialguard/py.typed" in names
    assert "trialguard/reporting/templates/report.html.j2" in names


def test_the_installed_tool_validates_a_copied_sample_from_another_folder(installed, tmp_path):
    _, venv = installed
    tool = venv / "bin" / "trialguard"
    for folder in ("clean", "defects"):
        shutil.copytree(SAMPLES / folder, tmp_path / folder)
    where = run(
        venv / "bin" / "python", "-c", "import trialguard; print(trialguard.__file__)", cwd=tmp_path
    )
    assert str(venv) in where.stdout  # the installed copy, not the checkout
    specs = run(tool, "specs", cwd=tmp_path)
    assert specs.returncode == 0 and "resolution" in specs.stdout and "cell-therapy" in specs.stdout
    defects = run(
        tool, "validate", "defects", "--spec", "resolution", "--html", "r.html", cwd=tmp_path
    )
    assert defects.returncode == 1, defects.stderr
    assert "Verdict: REJECT" in defects.stdout and (tmp_path / "r.html").stat().st_size > 10_000
    clean = run(tool, "validate", "clean", "--spec", "RESOLUTION", cwd=tmp_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Verdict: ACCEPT" in clean.stdout
