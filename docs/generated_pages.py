"""The pages the build writes before it reads the others: the rule catalogue of every bundled
spec, with example findings from the bundled samples' planted defects, and the kinds of check
with their parameters. Both come from `trialguard rules`, as a user would run it."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GENERATED = Path(__file__).resolve().parent / "rules"  # not kept in git: made by each build
PAGES = ("catalogue.md", "kinds.md")
# each bundled trial spec and the sample transfer whose planted defects give the examples
SAMPLES = ("resolution", "reset-02", "wu-cart-007", "ab-101")


def write_generated_pages() -> None:
    """docs/rules/catalogue.md and kinds.md, written anew."""
    GENERATED.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        reports = _sample_reports(Path(folder))
        catalogue = _trialguard("rules", "--format", "markdown", "--examples", *map(str, reports))
    catalogue_page, kinds_page = (GENERATED / name for name in PAGES)
    _write(catalogue_page, catalogue)
    _write(kinds_page, _trialguard("rules", "--kinds"))


def _sample_reports(folder: Path) -> list[Path]:
    """The JSON reports of the bundled samples with planted defects, validated side by side."""
    runs = {}
    for spec in SAMPLES:
        report = folder / f"{spec}-defects.json"
        command = [*_command(), "validate", str(ROOT / "sample_data" / spec / "defects")]
        command += ["--spec", spec, "--json", str(report), "--fail-on", "never", "--quiet"]
        with open(folder / f"{spec}.stderr", "w", encoding="utf-8") as errors:
            runs[report] = subprocess.Popen(command, cwd=ROOT, stderr=errors)
    for report, run in runs.items():
        if run.wait() != 0:
            errors = report.with_name(report.name.removesuffix("-defects.json") + ".stderr")
            raise RuntimeError(f"validating {report.name} failed:\n{errors.read_text()}")
    return list(runs)


def _trialguard(*arguments: str) -> str:
    done = subprocess.run([*_command(), *arguments], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"trialguard {' '.join(arguments)} failed:\n{done.stderr}")
    return done.stdout


def _command() -> list[str]:
    return [sys.executable, "-m", "trialguard"]


def _write(path: Path, text: str) -> None:
    """Written only when it changed, so that Sphinx rebuilds only what did."""
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
