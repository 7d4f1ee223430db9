"""The benchmark script keeps working (run small; its numbers are not asserted)."""

import subprocess
import sys

from conftest import ROOT


def test_benchmark_runs_and_prints_the_ratio():
    script = ROOT / "benchmarks" / "validate_vs_read.py"
    result = subprocess.run(
        [sys.executable, str(script), "300"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert "validate / read:" in result.stdout and "records read:" in result.stdout
