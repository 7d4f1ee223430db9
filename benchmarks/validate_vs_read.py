"""Validation time as a multiple of the time pyreadstat needs to read the same files.

    python benchmarks/validate_vs_read.py [--subjects 50000] [--repeat 1] [--quick]
        [--keep DIR] [--scaling] [--small 5000] [--open-rules DIR]

Times, each in a fresh process from start to exit, against pyreadstat's read of the same XPT
files (in a fresh process too), with the peak memory of the process against the size of the
frames pyreadstat makes:
1. a clean RESOLUTION-shaped study (benchmarks/large_study.py: per subject 1 DM, 2 EX and 20
   AE records; 50,000 subjects is 1,000,000 AE records), with --spec resolution --json, and
   unless --quick with --json --html and with --spec sdtm;
2. the same study with every AESTDY one day off (--aestdy-off): a finding of SD-DY per AE
   record, all of which the JSON report must hold (counted in its "rules" entry and in its
   "findings" list);
3. DM and a laboratory dataset of 40 records a subject (benchmarks/large_lab.py: 2,000,000 at
   50,000 subjects) whose every second visit's panel lacks its original units: one finding of
   SD-ORRESU per record without one, with --spec sdtm --json;
4. the bundled RESOLUTION sample and `python -m trialguard --version` (medians of at least 5
   runs), and the slowest imports;
then a summary of the targets, each passed or failed.  --scaling adds the clean study
at --small subjects (10 x the records should cost at most 11 x the time); --keep DIR keeps the
generated studies in DIR for the next run (each is generated only if DIR lacks it); --quick
runs each case once, with --json only.
"""

from __future__ import annotations

import argparse
import tempfile
from dataclasses import dataclass
from pathlib import Path

from process_timing import Floor, Timing, median_run, read_floor, time_validate, validate_command
from report_counts import count_rule_findings
from small_study_latency import small_study_latency
from study_cache import study

PANELS_PER_SUBJECT = 5  # large_lab.py: 5 visits of 8 tests
TESTS_PER_PANEL = 8
SHORT_RUNS = 5  # the small-study latencies are short: a median of at least this many runs


@dataclass(frozen=True)
class Target:
    """A line of the summary: a measurement and whether it meets its target."""

    name: str
    measured: str
    passed: bool

    def line(self) -> str:
        return f"  {'PASS' if self.passed else 'FAIL'}  {self.name:<33}{self.measured}"


def variants(quick: bool) -> list[tuple[str, bool]]:
    """(spec, with --html) of the clean study's runs."""
    if quick:
        return [("resolution", False)]
    return [("resolution", False), ("resolution", True), ("sdtm", False)]


def label(spec: str, html: bool) -> str:
    return f"validate --spec {spec} --json{' --html' if html else ''}"


def measure_clean(folder: Path, out: Path, repeat: int, quick: bool) -> dict[str, Timing]:
    """The clean study with each variant, by label."""
    floor = read_floor(folder, repeat)
    return {
        label(spec, html): time_validate(
            validate_command(folder, spec, out, html), label(spec, html), floor, repeat
        )
        for spec, html in variants(quick)
    }


def measure_open_rules(folder: Path, out: Path, rules: Path, clean: dict[str, Timing]) -> None:
    """`--spec sdtm` with the open rules of `rules`: the time they add, against the read."""
    floor = next(iter(clean.values())).floor
    command = validate_command(folder, "sdtm", out) + ["--open-rules", str(rules)]
    seconds, peak, _ = median_run(command, 1)
    plain = label("sdtm", False)
    without = clean.get(plain) or time_validate(
        validate_command(folder, "sdtm", out), plain, floor, 1
    )
    added = seconds - without.seconds
    print(f"  {'validate --spec sdtm --json --open-rules':<44}{seconds:7.1f} s "
          f"{seconds / floor.seconds:5.2f} x the read   the open rules add {added:.1f} s = "
          f"{added / floor.seconds:.2f} x the read, peak {peak / 2**20:,.0f} MiB")  # fmt: skip


def measure_findings(
    folder: Path, out: Path, spec: str, rule: str, expected: int | None, repeat: int
) -> tuple[Timing, bool]:
    """A run with many findings of `rule`, and whether its JSON report holds every one."""
    floor: Floor = read_floor(folder, repeat)
    timing = time_validate(validate_command(folder, spec, out), label(spec, False), floor, repeat)
    in_rules, in_list = count_rule_findings(out / "report.json", rule)
    complete = in_rules == in_list and in_list > 0 and expected in (None, in_list)
    planted = "" if expected is None else f" (planted: {expected:,})"
    print(f"  findings of {rule} in the JSON report: {in_rules or 0:,} in its rules entry, "
          f"{in_list:,} in the findings list{planted}: "
          f"{'every finding' if complete else 'INCOMPLETE'}")  # fmt: skip
    return timing, complete


def target_line(
    name: str, timing: Timing, ratio: float, memory: float, complete: bool | None = None
) -> Target:
    """A timed run against its targets; `complete`: whether the JSON held every finding."""
    note = {None: "", True: ", every finding in the JSON", False: ", findings MISSING"}[complete]
    measured = (
        f"{timing.ratio:.3f} x the read (<= {ratio}), "
        f"peak {timing.memory:.3f} x the frames (<= {memory}){note}"
    )
    passed = timing.ratio <= ratio and timing.memory <= memory and complete is not False
    return Target(name, measured, passed)


def summary(
    clean: Timing, off: tuple[Timing, bool], lab: tuple[Timing, bool], small: tuple[float, float]
) -> list[Target]:
    """Issue 34's targets against the measurements."""
    sample, version = small
    return [
        target_line("clean study", clean, 1.0, 1.2),
        target_line("one finding per AE record", off[0], 2.0, 1.5, off[1]),
        target_line("LB, a finding per second record", lab[0], 2.0, 1.5, lab[1]),
        Target("the bundled RESOLUTION sample", f"{sample:.2f} s (<= 1.0 s)", sample <= 1.0),
        Target("python -m trialguard --version", f"{version:.2f} s (< 0.3 s)", version < 0.3),
    ]


def scaling(base: Path, out: Path, options: argparse.Namespace, large: dict[str, Timing]) -> None:
    """The clean study at --small subjects, and what --subjects costs against it."""
    print(f"== scaling: the clean study at {options.small:,} subjects")
    folder = study(base, "clean", options.small)
    small = measure_clean(folder, out, options.repeat, options.quick)
    print(f"== scaling: {options.subjects / options.small:g} x the records")
    for name, timing in large.items():
        print(f"  {name:<44}{timing.seconds / small[name].seconds:5.1f} x the time")


def run_cases(base: Path, out: Path, options: argparse.Namespace) -> list[Target]:
    subjects, repeat = options.subjects, options.repeat
    print(f"== clean study: {subjects:,} subjects ({subjects * 20:,} AE records)")
    folder = study(base, "clean", subjects)
    clean = measure_clean(folder, out, repeat, options.quick)
    if options.open_rules:
        measure_open_rules(folder, out, options.open_rules, clean)
    print(f"== one finding per AE record: {subjects * 20:,} AE records, every AESTDY a day off")
    off = measure_findings(study(base, "aestdy-off", subjects), out, "resolution", "SD-DY",
                           None, repeat)  # fmt: skip
    panels = subjects * PANELS_PER_SUBJECT
    print(f"== LB: {subjects:,} subjects x 40 records ({panels * TESTS_PER_PANEL:,}), with "
          "DM; LBORRESU empty on every second visit's panel")  # fmt: skip
    lab = measure_findings(study(base, "lab-units-missing", subjects), out, "sdtm", "SD-ORRESU",
                           panels // 2 * TESTS_PER_PANEL, repeat)  # fmt: skip
    if options.scaling:
        scaling(base, out, options, clean)
    short = 1 if options.quick else max(repeat, SHORT_RUNS)
    print(f"== small study ({'one run' if short == 1 else f'medians of {short} runs'})")
    small = small_study_latency(out, short)
    return summary(clean[label("resolution", False)], off, lab, small)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement (median)")
    parser.add_argument("--quick", action="store_true", help="each case once, --json only")
    parser.add_argument("--keep", type=Path, help="keep the generated studies here, and reuse")
    parser.add_argument("--scaling", action="store_true", help="also time --small subjects")
    parser.add_argument("--small", type=int, default=5_000, help="subjects of the scaling run")
    parser.add_argument(
        "--open-rules", type=Path, help="also time the clean study with these CDISC Open Rules"
    )
    options = parser.parse_args()
    if options.quick:
        options.repeat = 1
    with tempfile.TemporaryDirectory() as tmp:
        base = options.keep or Path(tmp) / "studies"
        out = Path(tmp) / "out"
        base.mkdir(parents=True, exist_ok=True)
        out.mkdir()
        targets = run_cases(base, out, options)
    print("== summary: the targets")
    for target in targets:
        print(target.line())


if __name__ == "__main__":
    main()
