"""Validation cost as a multiple of read cost, on a study scaled up from the RESOLUTION sample.

    python benchmarks/validate_vs_read.py [RECORDS_PER_DATASET]

Prints read time, validation time, their ratio and the peak memory the
validation allocates (tracemalloc, in a second run).  The brief's bar: validation costs little more
than reading the files.
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "sample_data"))
sys.path.insert(0, str(ROOT))

from defects import DEFECTS  # noqa: E402
from generate import FILE_NAMES, write_xpt  # noqa: E402

from trialguard.pipeline import validate_study  # noqa: E402
from trialguard.readers import read_study  # noqa: E402
from trialguard.spec.loader import load_spec  # noqa: E402


def scaled_study(folder: Path, records: int) -> None:
    """Copies of the defects study, subjects renamed per copy, until each dataset has `records`."""
    frames, _ = DEFECTS["resolution"]().result()
    copies = max(1, records // len(frames["ex"]))
    for name, frame in frames.items():
        parts = []
        for k in range(copies):
            part = frame.copy()
            part["USUBJID"] = part["USUBJID"] + f"-{k:05d}"
            parts.append(part)
        write_xpt(pd.concat(parts, ignore_index=True), folder / f"{FILE_NAMES[name]}.xpt", name)


def main(records: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        scaled_study(folder, records)
        spec = load_spec("resolution")
        started = time.perf_counter()
        study = read_study([folder])
        read_seconds = time.perf_counter() - started
        started = time.perf_counter()
        report = validate_study(study, spec)
        validate_seconds = time.perf_counter() - started
        tracemalloc.start()  # a second, traced run: tracing slows Python too much to time it
        validate_study(study, spec)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    total = sum(i.records for i in report.inputs)
    print(f"records read:        {total:,}")
    print(f"findings:            {len(report.findings()):,}")
    print(f"read:                {read_seconds:.2f} s")
    print(f"validate:            {validate_seconds:.2f} s")
    print(f"validate / read:     {validate_seconds / read_seconds:.1f}x")
    print(f"validation peak mem: {peak / 2**20:.0f} MiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
