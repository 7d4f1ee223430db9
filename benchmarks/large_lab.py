"""A laboratory dataset (LB) for the subjects of benchmarks/large_study.py, column-wise.

    python benchmarks/large_lab.py SUBJECTS FOLDER [--units-missing]

writes dm.xpt and lb.xpt (SAS XPT v5): per subject 8 tests at 5 visits (40 records; 50,000
subjects is 2,000,000 LB records), each with original and standard results, units and
reference ranges, the normal-range indicator the result gives, and a baseline flag at the
screening visit.  The values are consistent, as a clean transfer's are, so a run measures the
checks' cost on a real-sized LB rather than the reporting of findings.
With --units-missing every second visit's panel comes without its original units (LBORRESU
empty), as a laboratory that leaves the unit out of its export makes: half the records (all of
them, at an even number of subjects) are a numeric LBORRES without its unit, for tests that
have a unit on the other visits, so the result-unit rule (SD-ORRESU of --spec sdtm) finds each
of them once.  Same arguments, same bytes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
from large_study import STUDYID, day0s, iso_dates, make_dm, subjects, write_xpt

# test code, name, unit, normal range low, high, typical value
TESTS = [
    ("ALB", "Albumin", "g/L", 35.0, 50.0, 42.0),
    ("ALT", "Alanine Aminotransferase", "U/L", 7.0, 56.0, 25.0),
    ("CREAT", "Creatinine", "umol/L", 53.0, 115.0, 80.0),
    ("GLUC", "Glucose", "mmol/L", 3.9, 5.6, 4.8),
    ("HGB", "Hemoglobin", "g/L", 120.0, 170.0, 140.0),
    ("PLAT", "Platelets", "10^9/L", 150.0, 400.0, 250.0),
    ("SODIUM", "Sodium", "mmol/L", 135.0, 145.0, 140.0),
    ("WBC", "Leukocytes", "10^9/L", 4.0, 11.0, 7.0),
]
VISITS = [(1, "SCREENING", -7), (2, "DAY 7", 7), (3, "DAY 14", 14), (4, "DAY 28", 28),
          (5, "DAY 56", 56)]  # fmt: skip


def make_lb(people: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Subjects x visits x tests, in that order; LBSEQ numbers each subject's records."""
    per_subject = len(VISITS) * len(TESTS)
    n = len(people) * per_subject
    subject = np.repeat(np.arange(len(people)), per_subject)
    visit = np.tile(np.repeat(np.arange(len(VISITS)), len(TESTS)), len(people))
    test = np.tile(np.arange(len(TESTS)), len(people) * len(VISITS))
    low, high, typical = (np.array([t[k] for t in TESTS])[test] for k in (3, 4, 5))
    result = np.round(typical * rng.lognormal(0.0, 0.15, n), 1)
    days = np.array([v[2] for v in VISITS])[visit]
    text = pd.Series(result).map("{:g}".format).to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "STUDYID": STUDYID,
            "DOMAIN": "LB",
            "USUBJID": people["USUBJID"].to_numpy()[subject],
            "LBSEQ": (np.arange(n) % per_subject + 1).astype(float),
            "LBTESTCD": np.array([t[0] for t in TESTS], dtype=object)[test],
            "LBTEST": np.array([t[1] for t in TESTS], dtype=object)[test],
            "LBCAT": "CHEMISTRY",
            "LBORRES": text,
            "LBORRESU": np.array([t[2] for t in TESTS], dtype=object)[test],
            "LBORNRLO": pd.Series(low).map("{:g}".format).to_numpy(dtype=object),
            "LBORNRHI": pd.Series(high).map("{:g}".format).to_numpy(dtype=object),
            "LBSTRESC": text,
            "LBSTRESN": result,
            "LBSTRESU": np.array([t[2] for t in TESTS], dtype=object)[test],
            "LBSTNRLO": low,
            "LBSTNRHI": high,
            "LBNRIND": np.select([result < low, result > high], ["LOW", "HIGH"], "NORMAL"),
            "LBBLFL": np.where(visit == 0, "Y", "").astype(object),
            "VISITNUM": np.array([v[0] for v in VISITS], dtype=float)[visit],
            "VISIT": np.array([v[1] for v in VISITS], dtype=object)[visit],
            "LBDTC": iso_dates(day0s(people)[subject] + days),
            "LBDY": np.where(days >= -5, days + 6, days + 5).astype(float),
        }
    )


def drop_units(lb: pd.DataFrame) -> pd.DataFrame:
    """LB with LBORRESU emptied on every second panel (a subject's tests at one visit), counted
    across subjects: half the records, and every test keeps its unit on the other panels."""
    panel = np.arange(len(lb)) // len(TESTS)
    lb.loc[panel % 2 == 1, "LBORRESU"] = ""
    return lb


def write_large_lab(count: int, folder: Path, units_missing: bool = False) -> Path:
    """Write DM and LB of `count` subjects as XPT into `folder` (made if need be)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(329)
    people = subjects(count, rng)
    write_xpt(make_dm(people, rng), folder / "dm.xpt", "DM")
    lb = make_lb(people, rng)
    write_xpt(drop_units(lb) if units_missing else lb, folder / "lb.xpt", "LB")
    return folder


if __name__ == "__main__":
    write_large_lab(int(sys.argv[1]), Path(sys.argv[2]), "--units-missing" in sys.argv[3:])
