"""The Excel workbook and the findings CSV with many findings: time, peak memory, file size.

    python benchmarks/xlsx_report.py [FINDINGS]      (default 100,000)

The findings are the RESOLUTION defects sample's, repeated on new record numbers until there
are FINDINGS of them; the time is of a plain write, the peak is what Python allocates while
writing (tracemalloc, in a second write).
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import trialguard  # noqa: E402


def many_findings(count: int) -> trialguard.Report:
    report = trialguard.validate(ROOT / "sample_data" / "resolution" / "defects", spec="resolution")
    seeds = report.findings()
    copies = [
        dataclasses.replace(
            seeds[n % len(seeds)], record=n + 1, message=f"{seeds[n % len(seeds)].message} #{n}"
        )
        for n in range(count)
    ]
    first = dataclasses.replace(report.results[0], findings=copies)
    others = [dataclasses.replace(r, findings=[]) for r in report.results[1:]]
    return dataclasses.replace(report, results=[first, *others])


def measure(label: str, write, path: Path) -> None:
    """Time of one write, then the peak of a second one under tracemalloc (which slows it)."""
    started = time.perf_counter()
    write(path)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    write(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    size = path.stat().st_size
    print(f"{label:<6} {seconds:6.2f} s  peak {peak / 2**20:7.1f} MB  file {size / 2**20:6.1f} MB")


def main(count: int) -> None:
    report = many_findings(count)
    print(f"{len(report.findings()):,} findings")
    with tempfile.TemporaryDirectory() as scratch:
        measure("xlsx", report.write_xlsx, Path(scratch) / "r.xlsx")
        measure("csv", report.write_csv, Path(scratch) / "r.csv")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
