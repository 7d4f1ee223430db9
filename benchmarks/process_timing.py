"""Time and peak memory of whole processes, from start to exit, and pyreadstat's read floor.

Each measured command runs in a fresh process, so its time includes starting Python and the
imports, and its peak resident memory is its own (read from the kernel's accounting at exit).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READ_FLOOR = """
import sys, pyreadstat
frames = [pyreadstat.read_xport(p, disable_datetime_conversion=True)[0] for p in sys.argv[2:]]
if sys.argv[1] == "size":
    print(sum(int(frame.memory_usage(deep=True).sum()) for frame in frames))
"""


@dataclass(frozen=True)
class Floor:
    """pyreadstat's read of a folder's XPT files: seconds, and the size of its frames."""

    seconds: float
    frames: int


@dataclass(frozen=True)
class Timing:
    """One measured command: its median time and peak memory, against the read floor."""

    seconds: float
    peak: int
    floor: Floor

    @property
    def ratio(self) -> float:
        return self.seconds / self.floor.seconds

    @property
    def memory(self) -> float:
        return self.peak / self.floor.frames

    def line(self, label: str) -> str:
        return (
            f"  {label:<44}{self.seconds:7.1f} s {self.ratio:5.2f} x the read   "
            f"peak {self.peak / 2**20:,.0f} MiB = {self.memory:.2f} x the frames"
        )


def run(command: list[str]) -> tuple[float, int, str]:
    """(seconds from start to exit, peak resident memory in bytes, stdout) of one process,
    which must exit 0 (validations run with --fail-on never); else its error ends the run."""
    with tempfile.TemporaryFile("w+") as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=errors, text=True, cwd=ROOT
        )
        out = process.stdout.read() if process.stdout else ""
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            tail = "".join(errors.readlines()[-20:])
            raise SystemExit(f"{' '.join(command)} exited {process.returncode}:\n{tail}")
    return seconds, usage.ru_maxrss * 1024, out


def median_run(command: list[str], repeat: int) -> tuple[float, int, str]:
    """The median time, the highest peak memory and the last output of `repeat` runs."""
    runs = [run(command) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs), runs[-1][2]


def read_floor(folder: Path, repeat: int) -> Floor:
    """pyreadstat's read time of the folder's XPT files, and the size of the frames it makes."""
    paths = sorted(str(path) for path in folder.glob("*.xpt"))
    seconds, _, _ = median_run([sys.executable, "-c", READ_FLOOR, "time", *paths], repeat)
    _, _, size = run([sys.executable, "-c", READ_FLOOR, "size", *paths])  # not timed
    floor = Floor(seconds, int(size.strip().splitlines()[-1]))
    print(
        f"  {'pyreadstat read (the floor)':<44}{floor.seconds:7.1f} s          "
        f"frames {floor.frames / 2**20:,.0f} MiB"
    )
    return floor


def validate_command(folder: Path, spec: str, out: Path, html: bool = False) -> list[str]:
    """`trialguard validate` of the folder, writing the JSON report (and HTML) into `out`."""
    command = [sys.executable, "-m", "trialguard", "validate", str(folder), "--spec", spec]
    command += ["--json", str(out / "report.json"), "--fail-on", "never"]
    return command + (["--html", str(out / "report.html")] if html else [])


def time_validate(command: list[str], label: str, floor: Floor, repeat: int) -> Timing:
    """Run a validation `repeat` times, print its line and return its timing."""
    seconds, peak, _ = median_run(command, repeat)
    timing = Timing(seconds, peak, floor)
    print(timing.line(label))
    return timing
