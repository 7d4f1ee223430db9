"""A RESOLUTION-shaped study of any size, generated column-wise and deterministic.

    python benchmarks/large_study.py SUBJECTS FOLDER [--aestdy-off]

writes dm.xpt, ex.xpt, ae.xpt and dlt.xpt (SAS XPT v5) for SUBJECTS subjects: 2 EX records
(cyclophosphamide on Days -5 to -3, ALLO-329 on Day 0) and 20 AE records per subject, and a DL
record for each treated subject with a grade 3 neurotoxicity in the DLT window.  About one
record in a thousand carries a planted defect (an impossible date, an end before its start, a
missing term, an age out of range), so a run has findings to report, as a real transfer does.
With --aestdy-off every AESTDY is one day too many, as a bad mapping makes: one finding of
the study-day rule per AE record.  Same arguments, same bytes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "sample_data"))

from defects import DEFECTS  # noqa: E402
from generate import FILE_NAMES, write_xpt  # noqa: E402

STUDYID = "ALLO-329-101"
PRODUCT = "ALLO-329"
DOSES = {"DL1": 40.0, "DL2": 120.0, "DL3": 360.0}
AES_PER_SUBJECT = 20
TERMS = [
    ("Cytokine release syndrome", "IMMUNE SYSTEM DISORDERS"),
    ("Pyrexia", "GENERAL DISORDERS AND ADMINISTRATION SITE CONDITIONS"),
    ("Nausea", "GASTROINTESTINAL DISORDERS"),
    ("Neutropenia", "BLOOD AND LYMPHATIC SYSTEM DISORDERS"),
    ("Fatigue", "GENERAL DISORDERS AND ADMINISTRATION SITE CONDITIONS"),
    ("Headache", "NERVOUS SYSTEM DISORDERS"),
    ("Anaemia", "BLOOD AND LYMPHATIC SYSTEM DISORDERS"),
    ("Rash", "SKIN AND SUBCUTANEOUS TISSUE DISORDERS"),
    ("Immune effector cell-associated neurotoxicity syndrome", "NERVOUS SYSTEM DISORDERS"),
]
NEUROTOXICITY = len(TERMS) - 1
DEFECT_RATE = 1 / 1000
SUBJECTS_A_DAY = 30  # 50,000 subjects treated over four and a half years
FIRST_DAY0 = np.datetime64("2025-07-07")


def iso_dates(days: np.ndarray) -> np.ndarray:
    """Dates as ISO 8601 text."""
    return np.datetime_as_string(days.astype("datetime64[D]"), unit="D").astype(object)


def planted(rng: np.random.Generator, size: int) -> np.ndarray:
    """Which of `size` records carry a defect."""
    return rng.random(size) < DEFECT_RATE


def subjects(count: int, rng: np.random.Generator) -> pd.DataFrame:
    """One row per subject: USUBJID, arm and Day 0 (cohorts of 3, 30 subjects a day)."""
    index = np.arange(count)
    level = np.array(["DL1", "DL2", "DL3"])[(index // 3) % 3]
    arm = np.char.add(level.astype(str), "-CY")
    day0 = FIRST_DAY0 + index // SUBJECTS_A_DAY
    usubjid = np.char.add(f"{STUDYID}-", np.char.zfill((100001 + index).astype(str), 6))
    return pd.DataFrame(
        {"USUBJID": usubjid.astype(object), "ARM": arm.astype(object), "DAY0": day0}
    )


def day0s(people: pd.DataFrame) -> np.ndarray:
    """Day 0 of each subject as dates (a frame holds them in seconds)."""
    return people["DAY0"].to_numpy().astype("datetime64[D]")


def make_dm(people: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    n = len(people)
    day0 = day0s(people)
    age = (24 + (np.arange(n) * 7) % 45).astype(float)
    age[planted(rng, n)] = 75.0
    arm_text = PRODUCT + " " + people["ARM"].str[:3] + " with Cy"
    return pd.DataFrame(
        {
            "STUDYID": STUDYID,
            "DOMAIN": "DM",
            "USUBJID": people["USUBJID"],
            "SUBJID": people["USUBJID"].str[-6:],
            "RFSTDTC": iso_dates(day0 - 5),
            "RFENDTC": iso_dates(day0 + 180),
            "RFXSTDTC": iso_dates(day0 - 5),
            "RFXENDTC": iso_dates(day0),
            "RFICDTC": iso_dates(day0 - 30),
            "RFPENDTC": iso_dates(day0 + 180),
            "DTHDTC": "",
            "DTHFL": "",
            "SITEID": (100 + np.arange(n) % 40).astype(str).astype(object),
            "AGE": age,
            "AGEU": "YEARS",
            "SEX": np.array(["F", "M"], dtype=object)[np.arange(n) % 2],
            "RACE": np.where(np.arange(n) % 3, "WHITE", "ASIAN").astype(object),
            "ETHNIC": "NOT HISPANIC OR LATINO",
            "ARMCD": people["ARM"],
            "ARM": arm_text,
            "ACTARMCD": people["ARM"],
            "ACTARM": arm_text,
            "ARMNRS": "",
            "ACTARMUD": "",
            "COUNTRY": "USA",
        }
    )


def make_ex(people: pd.DataFrame) -> pd.DataFrame:
    n = len(people)
    day0 = day0s(people)
    product = np.arange(2 * n) % 2 == 1  # per subject: cyclophosphamide, then the product
    first = np.repeat(day0, 2) + np.where(product, 0, -5)
    last = np.repeat(day0, 2) + np.where(product, 0, -3)
    level = np.repeat(people["ARM"].str[:3].to_numpy(), 2)
    dose = np.where(product, pd.Series(level).map(DOSES).to_numpy(), 500.0)
    return pd.DataFrame(
        {
            "STUDYID": STUDYID,
            "DOMAIN": "EX",
            "USUBJID": np.repeat(people["USUBJID"].to_numpy(), 2),
            "EXSEQ": np.tile([1.0, 2.0], n),
            "EXTRT": np.where(product, PRODUCT, "CYCLOPHOSPHAMIDE").astype(object),
            "EXDOSE": dose.astype(float),
            "EXDOSU": np.where(product, "10^6 cells", "mg/m2").astype(object),
            "EXDOSFRM": np.where(product, "SUSPENSION", "INJECTION, SOLUTION").astype(object),
            "EXROUTE": "INTRAVENOUS",
            "VISITNUM": np.where(product, 3.0, 2.0),
            "EXSTDTC": iso_dates(first),
            "EXENDTC": iso_dates(last),
            "EXSTDY": np.where(product, 6.0, 1.0),
            "EXENDY": np.where(product, 6.0, 3.0),
        }
    )


def make_ae(people: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    n, k = len(people), AES_PER_SUBJECT
    size = n * k
    day0 = np.repeat(day0s(people), k)
    onset = rng.integers(-2, 90, size)
    length = rng.integers(1, 15, size)
    term = rng.integers(0, NEUROTOXICITY, size)
    grade = rng.choice(np.array(["1", "2", "3"], dtype=object), size, p=[0.7, 0.29, 0.01])
    dlt = rng.random(n) < 0.02  # a grade 3 neurotoxicity on Day 6 as the subject's first AE
    first = np.arange(n) * k
    term[first[dlt]], grade[first[dlt]], onset[first[dlt]] = NEUROTOXICITY, "3", 6
    start, end = day0 + onset, day0 + onset + length
    terms = np.array([t for t, _ in TERMS], dtype=object)
    systems = np.array([s for _, s in TERMS], dtype=object)
    frame = pd.DataFrame(
        {
            "STUDYID": STUDYID,
            "DOMAIN": "AE",
            "USUBJID": np.repeat(people["USUBJID"].to_numpy(), k),
            "AESEQ": np.tile(np.arange(1, k + 1, dtype=float), n),
            "AETERM": pd.Series(terms[term]).str.upper(),
            "AEDECOD": terms[term],
            "AEBODSYS": systems[term],
            "AESER": np.where(grade == "3", "Y", "N").astype(object),
            "AEACN": "NOT APPLICABLE",
            "AEREL": np.where(onset >= 0, "RELATED", "NOT RELATED").astype(object),
            "AETOXGR": grade,
            "AESTDTC": iso_dates(start),
            "AEENDTC": iso_dates(end),
            "AESTDY": (onset + 5 + np.where(onset + 5 >= 0, 1, 0)).astype(float),
            "AEENDY": (onset + length + 5 + np.where(onset + length + 5 >= 0, 1, 0)).astype(float),
        }
    )
    plant_ae_defects(frame, rng)
    return frame


def plant_ae_defects(frame: pd.DataFrame, rng: np.random.Generator) -> None:
    """Impossible dates, ends before starts and missing terms, each on about 1 record in 3000."""
    size = len(frame)
    kind = np.where(planted(rng, size), rng.integers(0, 3, size), -1)
    frame.loc[kind == 0, "AESTDTC"] = "2025-02-30"
    frame.loc[kind == 1, "AEENDTC"] = "2025-01-01"
    frame.loc[kind == 2, "AEDECOD"] = ""


def make_dl(ae: pd.DataFrame) -> pd.DataFrame:
    neuro = ae[(ae["AEDECOD"] == TERMS[NEUROTOXICITY][0]) & (ae["AESTDY"] == 12.0)]
    neuro = neuro[neuro["AESEQ"] == 1.0]
    return pd.DataFrame(
        {
            "STUDYID": STUDYID,
            "DOMAIN": "DL",
            "USUBJID": neuro["USUBJID"].to_numpy(),
            "DLSEQ": 1.0,
            "DLTERM": neuro["AETERM"].to_numpy(),
            "DLAESEQ": neuro["AESEQ"].to_numpy(),
            "DLSTDTC": neuro["AESTDTC"].to_numpy(),
            "DLSTDY": neuro["AESTDY"].to_numpy(),
            "DLTOXGR": "3",
        }
    )


def large_study(count: int, seed: int = 329, aestdy_off: bool = False) -> dict[str, pd.DataFrame]:
    """The four datasets for `count` subjects, by dataset file name."""
    rng = np.random.default_rng(seed)
    people = subjects(count, rng)
    ae = make_ae(people, rng)
    dl = make_dl(ae)
    if aestdy_off:
        ae["AESTDY"] = ae["AESTDY"] + 1
    return {"dm": make_dm(people, rng), "ex": make_ex(people), "ae": ae, "dlt": dl}


def write_large_study(count: int, folder: Path, aestdy_off: bool = False) -> Path:
    """Write the study as XPT into `folder` (made if need be); returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in large_study(count, aestdy_off=aestdy_off).items():
        write_xpt(frame, folder / f"{name}.xpt", name[:2])
    return folder


def scaled_study(folder: Path, records: int) -> None:
    """Copies of the RESOLUTION defects sample, subjects renamed per copy, until each dataset
    has `records` (a study with many findings, for the report benchmarks)."""
    frames, _ = DEFECTS["resolution"]().result()
    copies = max(1, records // len(frames["ex"]))
    for name, frame in frames.items():
        parts = []
        for k in range(copies):
            part = frame.copy()
            part["USUBJID"] = part["USUBJID"] + f"-{k:05d}"
            parts.append(part)
        write_xpt(pd.concat(parts, ignore_index=True), folder / f"{FILE_NAMES[name]}.xpt", name)


if __name__ == "__main__":
    write_large_study(int(sys.argv[1]), Path(sys.argv[2]), "--aestdy-off" in sys.argv[3:])
