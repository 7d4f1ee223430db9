"""CDISC's Open Rules on the CDISC pilot x N, against pyreadstat's read of the same files.

    python benchmarks/open_rules.py [--copies 100] [--rules DIR]

DIR defaults to ../shared/external/core-open-rules/rules.  Builds the pilot (every dataset of
../shared/external/cdiscpilot01) N times over as XPT files: each subject's records copied N
times under new USUBJIDs (trial design datasets once), so the pilot x 100 holds about 1.9
million records.  Then times, in one process each:
- the floor: pyreadstat reading every file;
- `trialguard.validate` with the open rules alone (`select=["openrules"]`), and each rule's
  own time (the ten slowest printed).
CORE's published figure on the pilot x 100 is 426 x the read.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd
import pyreadstat

ROOT = Path(__file__).resolve().parents[1]
PILOT = ROOT.parent / "shared" / "external" / "cdiscpilot01"
RULES = ROOT.parent / "shared" / "external" / "core-open-rules" / "rules"
ONCE = ("TA", "TE", "TI", "TV", "TS")  # trial design: one copy whatever the subjects


def copied(frame: pd.DataFrame, copies: int) -> pd.DataFrame:
    """Every record `copies` times, the k-th copy's subjects named USUBJID-k."""
    if "USUBJID" not in frame.columns:
        return frame
    parts = []
    for k in range(copies):
        part = frame.copy()
        part["USUBJID"] = part["USUBJID"].astype(str) + f"-{k}"
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def build(folder: Path, copies: int) -> list[Path]:
    written = []
    for path in sorted(PILOT.glob("*.xpt")):
        name = path.stem.upper()
        frame = read_xpt(path)
        frame = frame if name in ONCE else copied(frame, copies)
        target = folder / path.name
        pyreadstat.write_xport(frame, str(target), table_name=name, file_format_version=5)
        written.append(target)
    return written


def read_xpt(path: Path) -> pd.DataFrame:
    try:
        return pyreadstat.read_xport(str(path), disable_datetime_conversion=True)[0]
    except UnicodeDecodeError:  # the pilot's TS holds Windows-1252 text
        return pyreadstat.read_xport(
            str(path), disable_datetime_conversion=True, encoding="cp1252"
        )[0]


def read_floor(paths: list[Path]) -> tuple[float, int]:
    started = time.perf_counter()
    frames = [read_xpt(p) for p in paths]
    return time.perf_counter() - started, sum(len(f) for f in frames)


def open_rules_run(folder: Path, rules: Path) -> tuple[float, dict[str, float], object]:
    import trialguard

    times: dict[str, float] = {}
    last: list = [None, 0.0]

    def progress(number: int, total: int, rule_id: str) -> None:
        now = time.perf_counter()
        if last[0] is not None:
            times[last[0]] = now - last[1]
        last[:] = [rule_id, now]

    started = time.perf_counter()
    report = trialguard.validate(
        folder, "sdtm", open_rules=rules, select=["openrules"], fail_on="never", progress=progress
    )
    ended = time.perf_counter()
    if last[0] is not None:
        times[last[0]] = ended - last[1]
    return ended - started, times, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--rules", type=Path, default=RULES)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = build(Path(tmp), args.copies)
        floor, records = read_floor(paths)
        print(f"pilot x {args.copies}: {len(paths)} datasets, {records:,} records")
        print(f"pyreadstat read: {floor:.2f} s")
        seconds, times, report = open_rules_run(Path(tmp), args.rules)
        ran = [r for r in report.results if r.rule.kind == "open_rule"]
        findings = sum(len(r.findings) for r in ran)
        print(
            f"open rules ({len(ran)} rules, {findings:,} findings): {seconds:.2f} s = "
            f"{seconds / floor:.1f} x the read (CORE: 426 x)"
        )
        print("ten slowest rules:")
        for rule_id, spent in sorted(times.items(), key=lambda kv: -kv[1])[:10]:
            print(f"  {rule_id}  {spent:.2f} s")


if __name__ == "__main__":
    main()
