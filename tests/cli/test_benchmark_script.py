"""The benchmark script keeps working (run small; its numbers are not asserted)."""

import subprocess
import sys

from conftest import ROOT


def test_benchmark_runs_and_prints_the_ratio():
    script = ROOT / "benchmarks" / "validate_vs_read.py"
    result = subprocess.run(
        [sys.executable, str(script), "--subjects", "40", "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert "x the read" in result.stdout and "x the frames" in result.stdout
    assert "== summary: the targets" in result.stdout and "start to exit" in result.stdout
    assert "== LB: 40 subjects x 40 records" in result.stdout  # 1,600 LB records, with DM


def test_the_workbook_benchmark_runs():
    script = ROOT / "benchmarks" / "xlsx_report.py"
    command = [sys.executable, str(script), "500"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=True)
    assert "500 findings" in result.stdout and "xlsx" in result.stdout and "csv" in result.stdout


def test_the_open_rules_benchmark_runs_on_the_pilot():
    script = ROOT / "benchmarks" / "open_rules.py"
    if not (ROOT.parent / "shared" / "external" / "core-open-rules" / "rules").is_dir():
        return  # CDISC's rules are not beside the repo
    command = [sys.executable, str(script), "--copies", "1"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=True)
    assert "x the read (CORE: 426 x)" in result.stdout and "ten slowest rules:" in result.stdout
