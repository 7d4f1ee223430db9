"""The generated studies of the benchmark, made once per folder and size.

Each study is generated in a process of its own: a child process starts with its parent's peak
memory on Linux, so the benchmark stays small for its measurements to be the runs' own.  A
study is written into a folder beside its final one and renamed when complete, so an
interrupted generation is never taken for a study.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Kind:
    """A generated study: its script, the script's options, its files and its records."""

    script: str
    options: tuple[str, ...]
    files: tuple[str, ...]
    records_per_subject: int


STUDY_FILES = ("ae.xpt", "dlt.xpt", "dm.xpt", "ex.xpt")
KINDS = {
    "clean": Kind("large_study.py", (), STUDY_FILES, 1 + 2 + 20),
    "aestdy-off": Kind("large_study.py", ("--aestdy-off",), STUDY_FILES, 1 + 2 + 20),
    "lab-units-missing": Kind("large_lab.py", ("--units-missing",), ("dm.xpt", "lb.xpt"), 41),
}


def study(base: Path, kind: str, subjects: int) -> Path:
    """The folder of the `kind` study of `subjects` subjects under `base`, generated unless
    `base` already holds it."""
    spec = KINDS[kind]
    folder = base / f"{kind}-{subjects}"
    if all((folder / name).is_file() for name in spec.files):
        print(f"  reusing {folder}")
        return folder
    started = time.perf_counter()
    partial = base / f"{kind}-{subjects}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    script = [sys.executable, str(HERE / spec.script), str(subjects), str(partial)]
    subprocess.run(script + list(spec.options), check=True)
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)
    print(
        f"  generated {subjects:,} subjects (~{subjects * spec.records_per_subject:,} records) "
        f"in {time.perf_counter() - started:.0f} s: {folder}"
    )
    return folder
