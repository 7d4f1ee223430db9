"""`trialguard validate --pdf FILE [--pdf-paper letter]` through a real subprocess, and the
start-up that never loads the PDF library."""

from __future__ import annotations

import os
import subprocess
import sys

import pypdfium2 as pdfium
from conftest import ROOT, SAMPLES

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def trialguard(*args, cwd=ROOT):
    command = [sys.executable, "-m", "trialguard", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=ENV, timeout=120)


def page_sizes(path) -> set[tuple[float, float]]:
    document = pdfium.PdfDocument(path)
    sizes = {tuple(round(side) for side in page.get_size()) for page in document}
    document.close()
    return sizes


def test_pdf_writes_the_audit_pdf_on_the_paper_asked_for(tmp_path):
    out = tmp_path / "reports" / "audit.pdf"
    args = ("validate", SAMPLES / "defects", "--spec", "resolution", "--pdf", out)
    result = trialguard(*args, "--pdf-paper", "letter")
    assert result.returncode == 1, result.stderr
    assert f"Wrote {out}" in result.stdout
    assert out.read_bytes().startswith(b"%PDF") and page_sizes(out) == {(612, 792)}
    assert [p.name for p in out.parent.iterdir()] == ["audit.pdf"]  # no temporary file left
    assert trialguard(*args).returncode == 1
    assert page_sizes(out) == {(595, 842)}  # A4 unless asked otherwise


def test_pdf_and_another_report_naming_one_file_is_refused(tmp_path):
    out = tmp_path / "r.out"
    result = trialguard(
        "validate", SAMPLES / "defects", "--spec", "resolution", "--html", out, "--pdf", out
    )
    assert result.returncode == 2 and not out.exists()
    assert "--html and --pdf both name" in result.stderr


def test_an_unknown_paper_is_a_usage_error(tmp_path):
    args = ("--pdf", tmp_path / "a.pdf", "--pdf-paper", "a3")
    result = trialguard("validate", SAMPLES / "defects", "--spec", "resolution", *args)
    assert result.returncode == 2 and "invalid choice: 'a3'" in result.stderr


def test_the_version_starts_without_loading_the_pdf_library():
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "trialguard", "--version"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=ENV,
        timeout=60,
    )
    assert result.returncode == 0 and result.stdout.startswith("trialguard ")
    assert "trialguard.cli" in result.stderr  # the import log is there
    assert "reportlab" not in result.stderr


def test_github_format_names_the_pdf_nowhere_as_holding_every_finding(tmp_path):
    pdf, json_report = tmp_path / "audit.pdf", tmp_path / "r.json"
    args = ("validate", SAMPLES / "defects", "--spec", "resolution", "--format", "github")
    result = trialguard(*args, "--pdf", pdf, "--json", json_report)
    assert result.returncode == 1, result.stderr
    summary = next(line for line in result.stdout.splitlines() if "every finding:" in line)
    assert summary.endswith(f"every finding: {json_report}") and pdf.exists()
