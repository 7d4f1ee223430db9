"""Make the RESOLUTION sample transfers: a clean study and one with planted defects.

Deterministic: the same code writes byte-identical files (XPT header time
stamps are fixed), so a test can prove the committed files are current.

    python sample_data/generate.py [OUTPUT_FOLDER]

writes resolution/clean/*.xpt, resolution/defects/*.xpt, a CSV copy of the
defects in resolution/defects-csv/, and resolution/defects/expected_findings.json:
the (rule id, USUBJID, variables) of every planted defect.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pyreadstat

STUDYID = "ALLO-329-101"
PRODUCT = "ALLO-329"
DOSES = {"DL1": 40.0, "DL2": 120.0, "DL3": 360.0}
LD_AGENTS = {"CY": ["CYCLOPHOSPHAMIDE"], "FC": ["FLUDARABINE", "CYCLOPHOSPHAMIDE"], "NOLD": []}
LD_DOSE = {"CYCLOPHOSPHAMIDE": 500.0, "FLUDARABINE": 30.0}
LABELS = {
    "STUDYID": "Study Identifier",
    "DOMAIN": "Domain Abbreviation",
    "USUBJID": "Unique Subject Identifier",
    "SUBJID": "Subject Identifier for the Study",
    "RFSTDTC": "Subject Reference Start Date/Time",
    "RFENDTC": "Subject Reference End Date/Time",
    "RFXSTDTC": "Date/Time of First Study Treatment",
    "RFXENDTC": "Date/Time of Last Study Treatment",
    "RFICDTC": "Date/Time of Informed Consent",
    "RFPENDTC": "Date/Time of End of Participation",
    "DTHDTC": "Date/Time of Death",
    "DTHFL": "Subject Death Flag",
    "SITEID": "Study Site Identifier",
    "AGE": "Age",
    "AGEU": "Age Units",
    "SEX": "Sex",
    "RACE": "Race",
    "ETHNIC": "Ethnicity",
    "ARMCD": "Planned Arm Code",
    "ARM": "Description of Planned Arm",
    "ACTARMCD": "Actual Arm Code",
    "ACTARM": "Description of Actual Arm",
    "ARMNRS": "Reason Arm and/or Actual Arm is Null",
    "COUNTRY": "Country",
    "EXSEQ": "Sequence Number",
    "EXTRT": "Name of Treatment",
    "EXDOSE": "Dose",
    "EXDOSU": "Dose Units",
    "EXDOSFRM": "Dose Form",
    "EXROUTE": "Route of Administration",
    "VISITNUM": "Visit Number",
    "EXSTDTC": "Start Date/Time of Treatment",
    "EXENDTC": "End Date/Time of Treatment",
    "EXSTDY": "Study Day of Start of Treatment",
    "EXENDY": "Study Day of End of Treatment",
    "AESEQ": "Sequence Number",
    "AETERM": "Reported Term for the Adverse Event",
    "AEDECOD": "Dictionary-Derived Term",
    "AEBODSYS": "Body System or Organ Class",
    "AESER": "Serious Event",
    "AEACN": "Action Taken with Study Treatment",
    "AEREL": "Causality",
    "AETOXGR": "Standard Toxicity Grade",
    "AESTDTC": "Start Date/Time of Adverse Event",
    "AEENDTC": "End Date/Time of Adverse Event",
    "AESTDY": "Study Day of Start of Adverse Event",
    "AEENDY": "Study Day of End of Adverse Event",
    "DLSEQ": "Sequence Number",
    "DLTERM": "Dose-Limiting Toxicity",
    "DLAESEQ": "Sequence Number of the Matching AE",
    "DLSTDTC": "Start Date/Time of DLT",
    "DLSTDY": "Study Day of Start of DLT",
    "DLTOXGR": "Standard Toxicity Grade",
}


@dataclass(frozen=True)
class Subject:
    number: int
    arm: str | None  # DL<n>-<LD>, None for a screen failure
    day0: date
    age: int
    sex: str

    @property
    def usubjid(self) -> str:
        return f"{STUDYID}-{self.number:04d}"


# (arm, number of subjects): cohorts enrolled one after the other, 35 days apart.
COHORTS = [("DL1-FC", 3), ("DL2-FC", 6), ("DL1-CY", 3), ("DL1-NOLD", 3)]
AGES = [34, 52, 61, 45, 29, 66, 38, 57, 49, 23, 69, 41, 55, 18, 63]
# Adverse events per subject index: (term, body system, grade, serious, protocol day, days long)
AE_PLAN = {
    0: [("Cytokine release syndrome", "IMMUNE SYSTEM DISORDERS", "1", "N", 2, 3)],
    1: [("Neutropenia", "BLOOD AND LYMPHATIC SYSTEM DISORDERS", "2", "N", 5, 9)],
    3: [
        (
            "Immune effector cell-associated neurotoxicity syndrome",
            "NERVOUS SYSTEM DISORDERS",
            "3",
            "Y",
            6,
            4,
        )
    ],  # the DLT of the study, reported in DL
    4: [("Fatigue", "GENERAL DISORDERS AND ADMINISTRATION SITE CONDITIONS", "1", "N", 12, 6)],
    6: [
        ("Headache", "NERVOUS SYSTEM DISORDERS", "1", "N", -2, 1),
        ("Anaemia", "BLOOD AND LYMPHATIC SYSTEM DISORDERS", "3", "N", 40, 8),
    ],
    8: [("Pyrexia", "GENERAL DISORDERS AND ADMINISTRATION SITE CONDITIONS", "2", "N", 1, 2)],
    10: [("Nausea", "GASTROINTESTINAL DISORDERS", "1", "N", 3, 2)],
    12: [("Cytokine release syndrome", "IMMUNE SYSTEM DISORDERS", "2", "N", 1, 4)],
    13: [("Rash", "SKIN AND SUBCUTANEOUS TISSUE DISORDERS", "1", "N", 20, 7)],
}
DLT_SUBJECT_INDEX = 3


def make_subjects() -> list[Subject]:
    subjects, start, index = [], date(2025, 7, 7), 0
    for cohort, (arm, size) in enumerate(COHORTS):
        for k in range(size):
            day0 = start + timedelta(days=35 * cohort + 7 * k)
            subjects.append(Subject(101 + index, arm, day0, AGES[index], "FM"[index % 2]))
            index += 1
    subjects.append(Subject(101 + index, None, date(2025, 9, 1), 47, "F"))  # screen failure
    return subjects


def iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def study_day(day: date, reference: date) -> int:
    delta = (day - reference).days
    return delta + 1 if delta >= 0 else delta


def first_treatment(s: Subject) -> date | None:
    if s.arm is None:
        return None
    return s.day0 - timedelta(days=5) if not s.arm.endswith("NOLD") else s.day0


def make_dm(subjects: list[Subject]) -> pd.DataFrame:
    rows = []
    for s in subjects:
        ref = first_treatment(s)
        arm_text = _arm_text(s.arm)
        rows.append(
            {
                "STUDYID": STUDYID,
                "DOMAIN": "DM",
                "USUBJID": s.usubjid,
                "SUBJID": str(s.number),
                "RFSTDTC": iso(ref),
                "RFENDTC": iso(s.day0 + timedelta(days=180)) if ref else "",
                "RFXSTDTC": iso(ref),
                "RFXENDTC": iso(s.day0) if ref else "",
                "RFICDTC": iso(s.day0 - timedelta(days=30)),
                "RFPENDTC": iso(s.day0 + timedelta(days=180)),
                "DTHDTC": "",
                "DTHFL": "",
                "SITEID": f"{100 + s.number % 3}",
                "AGE": float(s.age),
                "AGEU": "YEARS",
                "SEX": s.sex,
                "RACE": "WHITE" if s.number % 3 else "ASIAN",
                "ETHNIC": "NOT HISPANIC OR LATINO",
                "ARMCD": s.arm or "",
                "ARM": arm_text,
                "ACTARMCD": s.arm or "",
                "ACTARM": arm_text,
                "ARMNRS": "" if s.arm else "SCREEN FAILURE",
                "COUNTRY": "USA",
            }
        )
    return pd.DataFrame(rows)


def _arm_text(arm: str | None) -> str:
    if arm is None:
        return ""
    level, ld = arm.split("-")
    regimen = {"CY": "Cy", "FC": "Flu/Cy", "NOLD": "no lymphodepletion"}[ld]
    return f"ALLO-329 {level} with {regimen}"


def make_ex(subjects: list[Subject]) -> pd.DataFrame:
    rows = []
    for s in subjects:
        if s.arm is None:
            continue
        level, ld = s.arm.split("-")
        ref = first_treatment(s)
        records = [r for agent in LD_AGENTS[ld] for r in _ld_record(s, agent, ref)]
        records.append(
            _ex_row(s, PRODUCT, DOSES[level], "10^6 cells", "SUSPENSION", s.day0, s.day0, ref, 3)
        )
        rows += [{**r, "EXSEQ": float(i)} for i, r in enumerate(records, start=1)]
    return pd.DataFrame(rows)[
        [
            "STUDYID",
            "DOMAIN",
            "USUBJID",
            "EXSEQ",
            "EXTRT",
            "EXDOSE",
            "EXDOSU",
            "EXDOSFRM",
            "EXROUTE",
            "VISITNUM",
            "EXSTDTC",
            "EXENDTC",
            "EXSTDY",
            "EXENDY",
        ]
    ]


def _ld_record(s: Subject, agent: str, ref: date) -> list[dict]:
    """Cyclophosphamide as one record spanning Days -5..-3, fludarabine as one record a day."""
    first = s.day0 - timedelta(days=5)
    if agent == "CYCLOPHOSPHAMIDE":
        return [
            _ex_row(
                s,
                agent,
                LD_DOSE[agent],
                "mg/m2",
                "INJECTION, POWDER, FOR SOLUTION",
                first,
                first + timedelta(days=2),
                ref,
                2,
            )
        ]
    return [
        _ex_row(
            s,
            agent,
            LD_DOSE[agent],
            "mg/m2",
            "INJECTION, SOLUTION",
            first + timedelta(days=k),
            first + timedelta(days=k),
            ref,
            2,
        )
        for k in range(3)
    ]


def _ex_row(s, treatment, dose, unit, form, start, end, ref, visit) -> dict:
    return {
        "STUDYID": STUDYID,
        "DOMAIN": "EX",
        "USUBJID": s.usubjid,
        "EXTRT": treatment,
        "EXDOSE": dose,
        "EXDOSU": unit,
        "EXDOSFRM": form,
        "EXROUTE": "INTRAVENOUS",
        "VISITNUM": float(visit),
        "EXSTDTC": iso(start),
        "EXENDTC": iso(end),
        "EXSTDY": float(study_day(start, ref)),
        "EXENDY": float(study_day(end, ref)),
    }


def make_ae(subjects: list[Subject]) -> pd.DataFrame:
    rows = []
    for index, s in enumerate(subjects):
        ref = first_treatment(s)
        for seq, (term, soc, grade, serious, day, length) in enumerate(AE_PLAN.get(index, []), 1):
            start, end = s.day0 + timedelta(days=day), s.day0 + timedelta(days=day + length)
            rows.append(
                {
                    "STUDYID": STUDYID,
                    "DOMAIN": "AE",
                    "USUBJID": s.usubjid,
                    "AESEQ": float(seq),
                    "AETERM": term.upper(),
                    "AEDECOD": term,
                    "AEBODSYS": soc,
                    "AESER": serious,
                    "AEACN": "NOT APPLICABLE",
                    "AEREL": "RELATED" if day >= 0 else "NOT RELATED",
                    "AETOXGR": grade,
                    "AESTDTC": iso(start),
                    "AEENDTC": iso(end),
                    "AESTDY": float(study_day(start, ref)),
                    "AEENDY": float(study_day(end, ref)),
                }
            )
    return pd.DataFrame(rows)


def make_dl(subjects: list[Subject], ae: pd.DataFrame) -> pd.DataFrame:
    s = subjects[DLT_SUBJECT_INDEX]
    event = ae[(ae["USUBJID"] == s.usubjid) & (ae["AETOXGR"] == "3")].iloc[0]
    return pd.DataFrame(
        [
            {
                "STUDYID": STUDYID,
                "DOMAIN": "DL",
                "USUBJID": s.usubjid,
                "DLSEQ": 1.0,
                "DLTERM": event["AETERM"],
                "DLAESEQ": event["AESEQ"],
                "DLSTDTC": event["AESTDTC"],
                "DLSTDY": event["AESTDY"],
                "DLTOXGR": "3",
            }
        ]
    )


def make_clean() -> dict[str, pd.DataFrame]:
    subjects = make_subjects()
    ae = make_ae(subjects)
    return {"dm": make_dm(subjects), "ex": make_ex(subjects), "ae": ae, "dl": make_dl(subjects, ae)}


# ---------------------------------------------------------------- defects
def uid(index: int) -> str:
    return f"{STUDYID}-{101 + index:04d}"


class Planter:
    """Applies defects to the clean frames and records the finding each must produce."""

    def __init__(self, frames: dict[str, pd.DataFrame]) -> None:
        self.frames = {name: frame.copy() for name, frame in frames.items()}
        self.subjects = make_subjects()
        self.expected: list[tuple[str, str | None, list[str]]] = []

    def expect(self, rule: str, index: int | None, *variables: str) -> None:
        usubjid = None if index is None else (uid(index) if index >= 0 else f"{STUDYID}-0999")
        self.expected.append((rule, usubjid, list(variables)))

    def rows(self, name: str, index: int, **match) -> pd.Index:
        frame = self.frames[name]
        mask = frame["USUBJID"] == uid(index)
        for column, value in match.items():
            mask &= frame[column] == value
        return frame.index[mask]

    def set(self, name: str, index: int, column: str, value, **match) -> None:
        frame = self.frames[name]
        if frame[column].dtype != object and isinstance(value, str):
            frame[column] = frame[column].astype(object)
        frame.loc[self.rows(name, index, **match), column] = value

    def append(self, name: str, row: dict) -> None:
        self.frames[name] = pd.concat([self.frames[name], pd.DataFrame([row])], ignore_index=True)

    def day(self, index: int, protocol_day: int) -> date:
        return self.subjects[index].day0 + timedelta(days=protocol_day)

    def reference(self, index: int) -> date:
        return first_treatment(self.subjects[index])


def plant_conformance(p: Planter) -> None:
    p.frames["dm"] = p.frames["dm"].drop(columns=["SITEID"])
    p.expect("SD-REQ-VAR", None, "SITEID")
    p.frames["ae"] = p.frames["ae"].drop(columns=["AEREL"])
    p.expect("SD-EXP-VAR", None, "AEREL")
    p.set("ae", 1, "AEDECOD", "")
    p.expect("SD-REQ-VAL", 1, "AEDECOD")
    p.frames["ex"]["VISITNUM"] = p.frames["ex"]["VISITNUM"].map(lambda v: f"{v:g}")
    p.set("ex", 2, "VISITNUM", "UNSCHEDULED", EXTRT=PRODUCT)
    p.expect("SD-NUM", 2, "VISITNUM")
    p.set("dm", 4, "SEX", "MALE")
    p.expect("SD-CT", 4, "SEX")
    p.set("ex", 5, "EXROUTE", "IV", EXSEQ=1.0)
    p.expect("SD-CT-EXT", 5, "EXROUTE")
    p.set("ae", 8, "AEENDTC", "2025-02-30")
    p.set("ae", 8, "AEENDY", float("nan"))
    p.expect("SD-DTC", 8, "AEENDTC")
    p.set("ae", 10, "DOMAIN", "EA")
    p.expect("SD-DOMAIN", 10, "DOMAIN")
    p.set("ex", 9, "STUDYID", "ALLO-329-10", EXTRT=PRODUCT)
    p.expect("SD-STUDYID", 9, "STUDYID")
    p.set("ae", 6, "AESEQ", 1.0, AESEQ=2.0)
    p.expect("SD-KEY", 6, "USUBJID", "AESEQ")


def plant_cross_domain(p: Planter) -> None:
    orphan = p.frames["ae"].iloc[0].to_dict() | {
        "USUBJID": f"{STUDYID}-0999",
        "AESEQ": 1.0,
        "AESTDY": float("nan"),
        "AEENDY": float("nan"),
    }
    p.append("ae", orphan)
    p.expect("SD-SUBJ", -1, "USUBJID")
    start = p.day(13, 20)
    p.set("ae", 13, "AEENDTC", iso(start - timedelta(days=5)))
    p.set("ae", 13, "AEENDY", float(study_day(start - timedelta(days=5), p.reference(13))))
    p.expect("SD-STEN", 13, "AESTDTC", "AEENDTC")
    wrong = p.frames["ae"].loc[p.rows("ae", 12), "AESTDY"] + 1
    p.frames["ae"].loc[p.rows("ae", 12), "AESTDY"] = wrong
    p.expect("SD-DY", 12, "AESTDY", "AESTDTC")


def plant_protocol(p: Planter) -> None:
    p.set("dm", 14, "AGE", 70.0)
    p.expect("RES-AGE", 14, "AGE", "AGEU")
    _second_infusion(p, 11)
    p.set("ex", 7, "EXROUTE", "SUBCUTANEOUS", EXTRT=PRODUCT)
    p.expect("CT-INF-IV", 7, "EXTRT", "EXROUTE")
    p.set("ex", 0, "EXDOSE", 120.0, EXTRT=PRODUCT)
    p.expect("RES-DOSE", 0, "EXDOSE", "EXDOSU")
    _extra_fludarabine(p, 10)
    _ld_dates(p, 9, "EXSTDTC", "EXSTDY", -7)
    p.expect("RES-LD-WIN", 9, "EXTRT", "EXSTDTC")
    _ld_dates(p, 1, "EXENDTC", "EXENDY", 0)
    p.expect("RES-LD-WIN", 1, "EXTRT", "EXSTDTC", "EXENDTC")
    _late_dlt(p, 5)
    _dlt_without_ae(p, 4)
    _severe_ae(p, 2, 10, seq=1.0)
    p.expect("CT-DLT-MISS", 2, "AESEQ", "AETERM", "AETOXGR", "AESTDTC")


def _second_infusion(p: Planter, index: int) -> None:
    ex = p.frames["ex"]
    first = ex.loc[p.rows("ex", index, EXTRT=PRODUCT)[0]].to_dict()
    when = p.day(index, 14)
    stamp = float(study_day(when, p.reference(index)))
    seq = float(ex.loc[p.rows("ex", index), "EXSEQ"].max() + 1)
    p.append(
        "ex",
        first
        | {
            "EXSEQ": seq,
            "EXSTDTC": iso(when),
            "EXENDTC": iso(when),
            "EXSTDY": stamp,
            "EXENDY": stamp,
        },
    )
    p.expect("CT-INF-ONE", index, "EXTRT")


def _extra_fludarabine(p: Planter, index: int) -> None:
    seq = float(p.frames["ex"].loc[p.rows("ex", index), "EXSEQ"].max())
    for k in range(3):
        when = p.day(index, -5 + k)
        stamp = float(study_day(when, p.reference(index)))
        p.append(
            "ex",
            {
                "STUDYID": STUDYID,
                "DOMAIN": "EX",
                "USUBJID": uid(index),
                "EXSEQ": seq + 1 + k,
                "EXTRT": "FLUDARABINE",
                "EXDOSE": 30.0,
                "EXDOSU": "mg/m2",
                "EXDOSFRM": "INJECTION, SOLUTION",
                "EXROUTE": "INTRAVENOUS",
                "VISITNUM": "2",
                "EXSTDTC": iso(when),
                "EXENDTC": iso(when),
                "EXSTDY": stamp,
                "EXENDY": stamp,
            },
        )
    p.expect("RES-LD-ARM", index, "EXTRT")


def _ld_dates(p: Planter, index: int, column: str, day_column: str, protocol_day: int) -> None:
    when = p.day(index, protocol_day)
    rows = p.rows("ex", index, EXTRT="CYCLOPHOSPHAMIDE")
    p.frames["ex"].loc[rows, column] = iso(when)
    p.frames["ex"].loc[rows, day_column] = float(study_day(when, p.reference(index)))


def _severe_ae(p: Planter, index: int, protocol_day: int, seq: float) -> dict:
    when = p.day(index, protocol_day)
    stamp = float(study_day(when, p.reference(index)))
    row = {
        "STUDYID": STUDYID,
        "DOMAIN": "AE",
        "USUBJID": uid(index),
        "AESEQ": seq,
        "AETERM": "FEBRILE NEUTROPENIA",
        "AEDECOD": "Febrile neutropenia",
        "AEBODSYS": "BLOOD AND LYMPHATIC SYSTEM DISORDERS",
        "AESER": "Y",
        "AEACN": "NOT APPLICABLE",
        "AETOXGR": "3",
        "AESTDTC": iso(when),
        "AEENDTC": iso(when + timedelta(days=4)),
        "AESTDY": stamp,
        "AEENDY": stamp + 4,
    }
    p.append("ae", row)
    return row


def _late_dlt(p: Planter, index: int) -> None:
    ae = _severe_ae(p, index, 35, seq=1.0)
    _dlt(p, index, ae["AETERM"], 1.0, ae["AESTDTC"], ae["AESTDY"])
    p.expect("CT-DLT-WIN", index, "DLSTDTC")


def _dlt_without_ae(p: Planter, index: int) -> None:
    when = p.day(index, 8)
    _dlt(p, index, "HEPATOTOXICITY", 99.0, iso(when), float(study_day(when, p.reference(index))))
    p.expect("CT-DLT-AE", index, "DLAESEQ")


def _dlt(p: Planter, index: int, term: str, ae_seq: float, onset: str, onset_day: float) -> None:
    p.append(
        "dl",
        {
            "STUDYID": STUDYID,
            "DOMAIN": "DL",
            "USUBJID": uid(index),
            "DLSEQ": 1.0,
            "DLTERM": term,
            "DLAESEQ": ae_seq,
            "DLSTDTC": onset,
            "DLSTDY": onset_day,
            "DLTOXGR": "3",
        },
    )


def make_defects() -> tuple[dict[str, pd.DataFrame], list]:
    planter = Planter(make_clean())
    plant_conformance(planter)
    plant_cross_domain(planter)
    plant_protocol(planter)
    return planter.frames, sorted(planter.expected, key=lambda e: (e[0], e[1] or "", e[2]))


# ---------------------------------------------------------------- writing
FILE_NAMES = {"dm": "dm", "ex": "ex", "ae": "ae", "dl": "dlt"}
_SAS_STAMP = re.compile(rb"\d\d[A-Z]{3}\d\d:\d\d:\d\d:\d\d")


def write_xpt(frame: pd.DataFrame, path: Path, name: str) -> None:
    labels = {c: LABELS.get(c, c) for c in frame.columns}
    pyreadstat.write_xport(
        frame, str(path), table_name=name.upper(), column_labels=labels, file_format_version=5
    )
    _freeze_timestamps(path)


def _freeze_timestamps(path: Path) -> None:
    """Header time stamps would make every run differ; fix them to the data cut date."""
    data = path.read_bytes()
    body = data.find(b"HEADER RECORD*******OBS     HEADER RECORD")
    head = _SAS_STAMP.sub(b"01DEC25:00:00:00", data[:body])
    path.write_bytes(head + data[body:])


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    text = frame.copy()
    for column in text.columns:
        if pd.api.types.is_float_dtype(text[column]):
            text[column] = text[column].map(lambda v: "" if pd.isna(v) else f"{v:g}")
    text.to_csv(path, index=False, lineterminator="\n")


def write_study(frames: dict[str, pd.DataFrame], folder: Path, fmt: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        target = folder / f"{FILE_NAMES[name]}.{fmt}"
        write_xpt(frame, target, name) if fmt == "xpt" else write_csv(frame, target)


def main(output: Path) -> None:
    trial = output / "resolution"
    write_study(make_clean(), trial / "clean", "xpt")
    defects, expected = make_defects()
    write_study(defects, trial / "defects", "xpt")
    write_study(defects, trial / "defects-csv", "csv")
    listing = [{"rule_id": r, "usubjid": u, "variables": v} for r, u, v in expected]
    (trial / "expected_defects.json").write_text(json.dumps(listing, indent=1) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent)
