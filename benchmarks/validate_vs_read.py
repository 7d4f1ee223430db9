"""Validation time as a multiple of the time pyreadstat needs to read the same files.

    python benchmarks/validate_vs_read.py [--subjects 50000] [--small 5000] [--repeat 1] [--quick]

Generates a RESOLUTION-shaped study (benchmarks/large_study.py: per subject 1 DM, 2 EX and
20 AE records; 50,000 subjects is 1,000,000 AE records), then times, each in a fresh process
from start to exit:
- the floor: pyreadstat reading the four XPT files in one process;
- `trialguard validate` with --spec resolution and --spec sdtm, with --json and --json --html;
- the same at --small subjects, for the scaling (10 x the records should cost at most 11 x);
- a laboratory dataset of the same subjects (benchmarks/large_lab.py: 40 LB records a subject,
  2,000,000 at 50,000 subjects) with its DM, against pyreadstat's read of those two files;
- the bundled RESOLUTION sample, and the imports alone (small-study latency).
Prints each time, its ratio to the floor, the peak memory of the process against the size of
the frames read, and the slowest imports (python -X importtime).  Medians of --repeat runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READ_FLOOR = """
import sys, pyreadstat
frames = [pyreadstat.read_xport(p, disable_datetime_conversion=True)[0] for p in sys.argv[2:]]
if sys.argv[1] == "size":
    print(sum(int(frame.memory_usage(deep=True).sum()) for frame in frames))
"""


def run(command: list[str]) -> tuple[float, int, str]:
    """(seconds from start to exit, peak resident memory in bytes, stdout) of one process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT
    )
    out = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):  # 1: the study's planted findings
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}")
    return seconds, usage.ru_maxrss * 1024, out


def median_run(command: list[str], repeat: int) -> tuple[float, int, str]:
    runs = [run(command) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs), runs[-1][2]


def validate_command(folder: Path, spec: str, out: Path, html: bool) -> list[str]:
    command = [sys.executable, "-m", "trialguard", "validate", str(folder), "--spec", spec]
    command += ["--json", str(out / "report.json"), "--fail-on", "never"]
    return command + (["--html", str(out / "report.html")] if html else [])


def study(folder: Path, subjects: int) -> Path:
    """Generated in a process of its own: a child process starts with its parent's peak memory
    on Linux, so this process stays small for the measurements to be the runs' own."""
    started = time.perf_counter()
    generator = Path(__file__).resolve().parent / "large_study.py"
    subprocess.run([sys.executable, str(generator), str(subjects), str(folder)], check=True)
    records = subjects * (1 + 2 + 20)
    print(f"generated {subjects:,} subjects (~{records:,} records) in "
          f"{time.perf_counter() - started:.0f} s")  # fmt: skip
    return folder


def lab_study(folder: Path, subjects: int) -> Path:
    """DM and LB of `subjects` subjects, generated in a process of its own (see `study`)."""
    started = time.perf_counter()
    generator = Path(__file__).resolve().parent / "large_lab.py"
    subprocess.run([sys.executable, str(generator), str(subjects), str(folder)], check=True)
    print(f"generated {subjects:,} subjects ({subjects * 40:,} LB records) in "
          f"{time.perf_counter() - started:.0f} s")  # fmt: skip
    return folder


def floor(folder: Path, repeat: int) -> tuple[float, int]:
    """pyreadstat's read time of the study's XPT files, and the size of the frames it makes."""
    paths = sorted(str(path) for path in folder.glob("*.xpt"))
    seconds, _, _ = median_run([sys.executable, "-c", READ_FLOOR, "time", *paths], repeat)
    _, _, size = run([sys.executable, "-c", READ_FLOOR, "size", *paths])  # not timed
    return seconds, int(size.strip().splitlines()[-1])


def measure_study(
    folder: Path,
    out: Path,
    repeat: int,
    quick: bool,
    specs: tuple[str, ...] = (),
    open_rules: Path | None = None,
) -> dict[str, float]:
    read, frames = floor(folder, repeat)
    mib = frames / 2**20
    print(f"  {'pyreadstat read (the floor)':<44}{read:7.1f} s          frames {mib:,.0f} MiB")
    times = {"read": read}
    for spec in specs or (("resolution",) if quick else ("resolution", "sdtm")):
        for html in (False,) if quick else (False, True):
            seconds, peak, _ = median_run(validate_command(folder, spec, out, html), repeat)
            label = f"validate --spec {spec} --json{' --html' if html else ''}"
            times[label] = seconds
            print(f"  {label:<44}{seconds:7.1f} s {seconds / read:5.2f} x the read   "
                  f"peak {peak / 2**20:,.0f} MiB = {peak / frames:.2f} x the frames")  # fmt: skip
    if open_rules is not None:
        times |= measure_open_rules(folder, out, repeat, open_rules, read, times)
    return times


def measure_open_rules(
    folder: Path, out: Path, repeat: int, rules: Path, read: float, times: dict[str, float]
) -> dict[str, float]:
    """`--spec sdtm` with the open rules of `rules`: the time they add, against the read."""
    command = validate_command(folder, "sdtm", out, False) + ["--open-rules", str(rules)]
    seconds, peak, _ = median_run(command, repeat)
    added = seconds - times.get("validate --spec sdtm --json", seconds)
    label = "validate --spec sdtm --json --open-rules"
    print(f"  {label:<44}{seconds:7.1f} s {seconds / read:5.2f} x the read   "
          f"the open rules add {added:.1f} s = {added / read:.2f} x the read, "
          f"peak {peak / 2**20:,.0f} MiB")  # fmt: skip
    return {label: seconds}


def small_study_latency(out: Path, repeat: int) -> None:
    sample = ROOT / "sample_data" / "resolution" / "clean"
    seconds, _, _ = median_run(validate_command(sample, "resolution", out, False), repeat)
    imports, _, _ = median_run([sys.executable, "-c", "import trialguard.cli"], repeat)
    print(f"  the bundled RESOLUTION sample, start to exit: {seconds:.2f} s, "
          f"of which starting Python and the imports: {imports:.2f} s")  # fmt: skip
    trace = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import trialguard.cli"],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    print("  slowest imports (cumulative):")
    for micros, name in heaviest_imports(trace.stderr):
        print(f"    {micros / 1e6:5.2f} s  {name}")


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=50_000)
    parser.add_argument("--small", type=int, default=5_000, help="subjects of the scaling run")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement (median)")
    parser.add_argument("--quick", action="store_true", help="--spec resolution --json only")
    parser.add_argument(
        "--open-rules", type=Path, help="also time the large study with these CDISC Open Rules"
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        out.mkdir()
        print(f"== {options.subjects:,} subjects")
        large = measure_study(
            study(Path(tmp) / "large", options.subjects),
            out,
            options.repeat,
            options.quick,
            open_rules=options.open_rules,
        )
        print(f"== {options.small:,} subjects (scaling)")
        small = measure_study(
            study(Path(tmp) / "small", options.small), out, options.repeat, options.quick
        )
        print(f"== LB: {options.subjects:,} subjects x 40 records, with DM")
        lab = lab_study(Path(tmp) / "lab", options.subjects)
        measure_study(lab, out, options.repeat, options.quick, specs=("sdtm",))
        factor = options.subjects / options.small
        print(f"== scaling: {factor:g} x the records")
        for label, seconds in large.items():
            if label not in small:  # measured at full size only (the open rules)
                continue
            print(f"  {label:<44}{seconds / small[label]:5.1f} x the time")
        print("== small study")
        small_study_latency(out, options.repeat)


if __name__ == "__main__":
    main()
