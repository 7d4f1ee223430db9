"""The exported sdtm suites run in plain GX on real studies: parity and cost against trialguard.

    python benchmarks/gx_parity.py [STUDY ...]     (needs the gx extra and ../shared/external)

For each study: the findings trialguard gives for the exported rules, those plain GX gives
(rule, dataset, record, variables), the findings only one side has, GX's errors on expectations
that are not about an absent variable, and the time of each side with its ratio.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "gx"))
sys.path.insert(0, str(ROOT))

from plain_gx import run_exported  # noqa: E402

import trialguard  # noqa: E402
from trialguard.gx.export import export_suites  # noqa: E402
from trialguard.readers.study import read_study  # noqa: E402
from trialguard.spec.loader import load_spec  # noqa: E402
from trialguard.standards import export_standards  # noqa: E402

EXTERNAL = ROOT.parent / "shared" / "external"
STUDIES = {  # folder and the SDTMIG version when the study states none (as the golden tests)
    "cdiscpilot01": ("cdiscpilot01", None),
    "tdf-cdiscpilot03": ("real/tdf-cdiscpilot03", "3.2"),
    "sdtm-msg-v2": ("real/sdtm-msg-v2", "3.3"),
    "nihpo-synthtrial": ("real/nihpo-synthtrial", None),
    "pharmaversesdtm": ("real/pharmaversesdtm", None),
    "pharmaversesdtm-vaccine": ("real/pharmaversesdtm-vaccine", None),
    "sdtmsyn-sad": ("real/sdtmsyn-sad", None),
    "sdtmsyn-ri": ("real/sdtmsyn-ri", None),
}


def compare(name: str, folder: Path, version: str | None, out: Path) -> None:
    spec = load_spec("sdtm")
    rules = {
        e["rule"]
        for e in export_suites(spec, out / "any", export_standards(None, None, None)).exported
    }
    started = time.perf_counter()
    report = trialguard.validate(folder, spec=spec, ig=version, select=sorted(rules))
    ours = time.perf_counter() - started
    standards = export_standards(None, report.standards.ig_model, None)
    written = export_suites(spec, out, standards)
    found = {
        (f.rule_id, f.domain, f.record, tuple(f.variables))
        for r in report.results
        for f in r.findings
    }
    study = read_study([folder])
    started = time.perf_counter()
    plain = run_exported(study, written.suites, standards.ig.model)
    theirs = time.perf_counter() - started
    records = sum(d.records for d in study.datasets.values() if d.name in written.suites)
    print(
        f"{name:<24} records {records:>6}  trialguard {len(found):>5}  GX {len(plain.found):>5}  "
        f"only trialguard {len(found - plain.found):>3}  only GX {len(plain.found - found):>3}  "
        f"GX errors {len(plain.errors)}  time {ours:5.1f} s / {theirs:5.1f} s = "
        f"GX {theirs / ours:4.1f} x trialguard"
    )
    for item in sorted(found ^ plain.found, key=str)[:5]:
        print(f"    differs: {item}")
    for error in plain.errors[:3]:
        print(f"    GX error: {error}")


def main(names: list[str]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        for name in names or list(STUDIES):
            folder, version = STUDIES[name]
            compare(name, EXTERNAL / folder, version, Path(scratch) / name)


if __name__ == "__main__":
    main(sys.argv[1:])
