"""How long a small study takes, start to exit: the bundled sample, --version, the imports.

    python benchmarks/small_study_latency.py [--repeat 5]

Each is the median of --repeat runs in fresh processes; the slowest imports come from
`python -X importtime`.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from process_timing import ROOT, median_run, validate_command

SAMPLE = ROOT / "sample_data" / "resolution" / "clean"
# what a validation imports before it reads: the CLI itself imports the rest when asked
IMPORTS = "import trialguard.cli, trialguard.pipeline"


def small_study_latency(out: Path, repeat: int) -> tuple[float, float]:
    """(the bundled RESOLUTION sample validated, `trialguard --version`), each start to exit
    and the median of `repeat` runs; prints them with the imports' share."""
    sample, _, _ = median_run(validate_command(SAMPLE, "resolution", out), repeat)
    imports, _, _ = median_run([sys.executable, "-c", IMPORTS], repeat)
    version, _, _ = median_run([sys.executable, "-m", "trialguard", "--version"], repeat)
    print(f"  the bundled RESOLUTION sample, start to exit: {sample:.2f} s, "
          f"of which starting Python and the imports it needs: {imports:.2f} s")  # fmt: skip
    print(f"  python -m trialguard --version: {version:.2f} s")
    trace = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", IMPORTS],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    print("  slowest imports (cumulative):")
    for micros, name in heaviest_imports(trace.stderr):
        print(f"    {micros / 1e6:5.2f} s  {name}")
    return sample, version


def heaviest_imports(trace: str, count: int = 8) -> list[tuple[int, str]]:
    """The packages (not their modules) that cost most to import, with what they import, from
    -X importtime output."""
    found = []
    for line in trace.splitlines():
        parts = line.removeprefix("import time:").split("|")
        name = parts[-1].strip()
        if len(parts) == 3 and parts[1].strip().isdigit() and "." not in name:
            found.append((int(parts[1]), name))
    return sorted(found, reverse=True)[:count]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median)")
    with tempfile.TemporaryDirectory() as tmp:
        small_study_latency(Path(tmp), parser.parse_args().repeat)
