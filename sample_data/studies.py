"""Clean sample studies of the four seed trials, built from one parameterised description.

Cohorts are enrolled one after the other: subjects of a cohort a week apart,
the next cohort 30 days after the last infusion of the one before, so a 3+3
replay finds every escalation properly timed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import pandas as pd

LD_AGENTS = {"CY": ["CYCLOPHOSPHAMIDE"], "FC": ["FLUDARABINE", "CYCLOPHOSPHAMIDE"], "NOLD": []}
LD_DOSE = {"CYCLOPHOSPHAMIDE": 500.0, "FLUDARABINE": 30.0}
RITUXIMAB_DAY = -7
SEVERE = ("Immune effector cell-associated neurotoxicity syndrome", "NERVOUS SYSTEM DISORDERS")
MILD = [
    ("Cytokine release syndrome", "IMMUNE SYSTEM DISORDERS"),
    ("Pyrexia", "GENERAL DISORDERS AND ADMINISTRATION SITE CONDITIONS"),
    ("Nausea", "GASTROINTESTINAL DISORDERS"),
]
EX_COLUMNS = [
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
# An adverse event: (term, body system, grade, serious, protocol day of onset, days long)
AdverseEvent = tuple[str, str, str, str, int, int]


@dataclass(frozen=True)
class Trial:
    key: str
    studyid: str
    product: str
    unit: str
    doses: dict[str, float]
    cohorts: tuple[tuple[str, int], ...]  # (arm code, subjects) in enrolment order
    first_day0: date
    dlt_subjects: tuple[int, ...] = ()
    ae_plan: dict[int, list[AdverseEvent]] = field(default_factory=dict)
    comedication: str | None = None
    control_subjects: int = 0
    legacy_screen_failure: bool = False
    day0_shift: dict[int, int] = field(default_factory=dict)  # subject index -> days later
    transplant: str | None = None  # PRTRT of the HSCT every assigned subject has on Day -7
    endpoints: bool = False  # MH primary diagnoses and RS efficacy records (AB-101)
    follow_up_days: int = 180  # RFENDTC and RFPENDTC: this many days after Day 0

    def subjects(self) -> list[Subject]:
        subjects, start = [], self.first_day0
        for arm, size in self.cohorts:
            for k in range(size):
                index = len(subjects)
                day0 = start + timedelta(days=7 * k + self.day0_shift.get(index, 0))
                subjects.append(Subject(self, index, arm, day0))
            start = subjects[-1].day0 + timedelta(days=30)
        for _ in range(self.control_subjects):
            subjects.append(Subject(self, len(subjects), "SOC", start))
            start += timedelta(days=7)
        subjects.append(Subject(self, len(subjects), None, start))  # a screen failure
        return subjects


@dataclass(frozen=True)
class Subject:
    trial: Trial
    index: int
    arm: str | None  # DL<n>-<LD>, SOC, or None for a screen failure
    day0: date

    @property
    def usubjid(self) -> str:
        return f"{self.trial.studyid}-{101 + self.index:04d}"

    @property
    def treated(self) -> bool:
        return self.arm is not None and self.arm != "SOC"

    def treatments(self) -> list[tuple[str, int, int]]:
        """(EXTRT, first protocol day, last protocol day) of each exposure record."""
        if not self.treated:
            return []
        ld = self.arm.split("-")[1]
        plan = (
            [(self.trial.comedication, RITUXIMAB_DAY, RITUXIMAB_DAY)]
            if self.trial.comedication
            else []
        )
        for agent in LD_AGENTS[ld]:
            if agent == "CYCLOPHOSPHAMIDE":  # one record spanning the three days
                plan.append((agent, -5, -3))
            else:  # one record a day
                plan += [(agent, day, day) for day in (-5, -4, -3)]
        return plan + [(self.trial.product, 0, 0)]

    def reference(self) -> date | None:
        days = [first for _, first, _ in self.treatments()]
        if days:
            return self.day0 + timedelta(days=min(days))
        return self.day0 if self.arm == "SOC" else None


def iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def study_day(day: date, reference: date | None) -> float:
    if reference is None:
        return float("nan")
    delta = (day - reference).days
    return float(delta + 1 if delta >= 0 else delta)


def make_dm(trial: Trial, subjects: list[Subject]) -> pd.DataFrame:
    return pd.DataFrame([_dm_row(trial, s) for s in subjects])


def _dm_row(trial: Trial, s: Subject) -> dict:
    ref = s.reference()
    end = s.day0 + timedelta(days=trial.follow_up_days)
    failure = s.arm is None
    legacy = failure and trial.legacy_screen_failure
    arm = "SCRNFAIL" if legacy else (s.arm or "")
    return {
        "STUDYID": trial.studyid,
        "DOMAIN": "DM",
        "USUBJID": s.usubjid,
        "SUBJID": str(101 + s.index),
        "RFSTDTC": iso(ref),
        "RFENDTC": iso(end) if ref else "",
        "RFXSTDTC": iso(ref) if s.treated else "",
        "RFXENDTC": iso(s.day0) if s.treated else "",
        "RFICDTC": iso(s.day0 - timedelta(days=21)),
        "RFPENDTC": iso(end),
        "DTHDTC": "",
        "DTHFL": "",
        "SITEID": f"{100 + s.index % 3}",
        "AGE": float(24 + (s.index * 7) % 45),
        "AGEU": "YEARS",
        "SEX": "FM"[s.index % 2],
        "RACE": "WHITE" if s.index % 3 else "ASIAN",
        "ETHNIC": "NOT HISPANIC OR LATINO",
        "ARMCD": arm,
        "ARM": _arm_text(trial, arm),
        "ACTARMCD": arm,
        "ACTARM": _arm_text(trial, arm),
        "ARMNRS": "SCREEN FAILURE" if failure and not legacy else "",
        "ACTARMUD": "",
        "COUNTRY": "USA",
    }


def _arm_text(trial: Trial, arm: str) -> str:
    if arm in ("", "SCRNFAIL"):
        return "Screen Failure" if arm else ""
    if arm == "SOC":
        return "Standard of care"
    level, ld = arm.split("-")
    regimen = {"CY": "Cy", "FC": "Flu/Cy", "NOLD": "no lymphodepletion"}[ld]
    return f"{trial.product} {level} with {regimen}"


def make_ex(trial: Trial, subjects: list[Subject]) -> pd.DataFrame:
    rows = []
    for s in subjects:
        records = [ex_row(s, treatment, first, last) for treatment, first, last in s.treatments()]
        rows += [r | {"EXSEQ": float(i)} for i, r in enumerate(records, start=1)]
    return pd.DataFrame(rows, columns=EX_COLUMNS)


def ex_row(s: Subject, treatment: str, first: int, last: int) -> dict:
    trial = s.trial
    start, end = s.day0 + timedelta(days=first), s.day0 + timedelta(days=last)
    if treatment == trial.product:
        dose, unit, form = trial.doses.get(s.arm.split("-")[0]), trial.unit, "SUSPENSION"
    elif treatment == "RITUXIMAB":
        dose, unit, form = 375.0, "mg/m2", "INJECTION, SOLUTION"
    else:
        dose, unit, form = LD_DOSE[treatment], "mg/m2", "INJECTION, SOLUTION"
    return {
        "STUDYID": trial.studyid,
        "DOMAIN": "EX",
        "USUBJID": s.usubjid,
        "EXTRT": treatment,
        "EXDOSE": dose,
        "EXDOSU": unit,
        "EXDOSFRM": form,
        "EXROUTE": "INTRAVENOUS",
        "VISITNUM": 3.0 if treatment == trial.product else 2.0,
        "EXSTDTC": iso(start),
        "EXENDTC": iso(end),
        "EXSTDY": study_day(start, s.reference()),
        "EXENDY": study_day(end, s.reference()),
    }


def adverse_events(trial: Trial, s: Subject) -> list[AdverseEvent]:
    if s.index in trial.ae_plan:
        planned = list(trial.ae_plan[s.index])
    else:
        planned = [(*MILD[s.index % 3], "1", "N", 2, 3)] if s.treated and s.index % 2 == 0 else []
    if s.index in trial.dlt_subjects:
        planned.append((*SEVERE, "3", "Y", 6, 4))
    return planned


def make_ae(trial: Trial, subjects: list[Subject]) -> pd.DataFrame:
    rows = []
    for s in subjects:
        for seq, event in enumerate(adverse_events(trial, s), 1):
            rows.append(ae_row(s, seq, *event))
    return pd.DataFrame(rows)


def ae_row(s: Subject, seq: int, term, soc, grade, serious, day, length) -> dict:
    start, end = s.day0 + timedelta(days=day), s.day0 + timedelta(days=day + length)
    return {
        "STUDYID": s.trial.studyid,
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
        "AESTDY": study_day(start, s.reference()),
        "AEENDY": study_day(end, s.reference()),
    }


TRANSPLANT_DAY = -7


def make_pr(trial: Trial, subjects: list[Subject]) -> pd.DataFrame:
    """The transplant of every subject assigned to an arm (the cell product follows it)."""
    rows = []
    for s in (s for s in subjects if s.arm is not None):
        when = s.day0 + timedelta(days=TRANSPLANT_DAY)
        rows.append(
            {
                "STUDYID": trial.studyid,
                "DOMAIN": "PR",
                "USUBJID": s.usubjid,
                "PRSEQ": 1.0,
                "PRTRT": trial.transplant,
                "PRCAT": "TRANSPLANT",
                "PRSTDTC": iso(when),
                "PRSTDY": study_day(when, s.reference()),
            }
        )
    return pd.DataFrame(rows)


def make_suppae(trial: Trial, subjects: list[Subject]) -> pd.DataFrame:
    """The treatment-emergent flag of every AE record (AETRTEM: Y from Day 0 on), by AESEQ."""
    rows = [
        {
            "STUDYID": trial.studyid,
            "RDOMAIN": "AE",
            "USUBJID": s.usubjid,
            "IDVAR": "AESEQ",
            "IDVARVAL": str(seq),
            "QNAM": "AETRTEM",
            "QLABEL": "Treatment Emergent Flag",
            "QVAL": "Y" if event[4] >= 0 else "N",
            "QORIG": "DERIVED",
            "QEVAL": "SPONSOR",
        }
        for s in subjects
        for seq, event in enumerate(adverse_events(trial, s), 1)
    ]
    return pd.DataFrame(rows, columns=SUPP_COLUMNS)


SUPP_COLUMNS = [
    "STUDYID",
    "RDOMAIN",
    "USUBJID",
    "IDVAR",
    "IDVARVAL",
    "QNAM",
    "QLABEL",
    "QVAL",
    "QORIG",
    "QEVAL",
]


# The AB-101 diseases, in turn over the treated subjects: (disease, MHTERM, MHDECOD).
DISEASES = (
    ("IIM", "DERMATOMYOSITIS", "Dermatomyositis"),
    ("SSc", "DIFFUSE CUTANEOUS SYSTEMIC SCLEROSIS", "Systemic scleroderma"),
    ("RA", "RHEUMATOID ARTHRITIS", "Rheumatoid arthritis"),
    ("SjD", "PRIMARY SJOGREN'S SYNDROME", "Sjogren's syndrome"),
)
BASELINE = (1.0, "SCREENING", -14)  # (VISITNUM, VISIT, protocol day)
WEEK_52 = (10.0, "WEEK 52", 364)


def disease_of(s: Subject) -> str:
    return DISEASES[s.index % len(DISEASES)][0]


def make_mh(trial: Trial, subjects: list[Subject]) -> pd.DataFrame:
    """The primary diagnosis of every treated subject, made three years before consent."""
    rows = []
    for s in (s for s in subjects if s.treated):
        _, term, decod = DISEASES[s.index % len(DISEASES)]
        rows.append(
            {
                "STUDYID": trial.studyid,
                "DOMAIN": "MH",
                "USUBJID": s.usubjid,
                "MHSEQ": 1.0,
                "MHTERM": term,
                "MHDECOD": decod,
                "MHCAT": "PRIMARY DIAGNOSIS",
                "MHSTDTC": iso(s.day0 - timedelta(days=3 * 365)).rsplit("-", 1)[0],
            }
        )
    return pd.DataFrame(rows)


# (RSTESTCD, RSTEST, unit) of every RS test of the samples, and its RSCAT.
RS_TESTS = {
    "TIS": ("TIS", "Total Improvement Score", ""),
    "TISRESP": ("TIS", "TIS Responder (TIS >= 60)", ""),
    "RCRISS": ("RCRISS", "Revised CRISS", ""),
    "RCRISRSP": ("RCRISS", "rCRISS Responder (rCRISS >= 50)", ""),
    "TJC28": ("DAS28-ESR", "Tender Joint Count 28", ""),
    "SJC28": ("DAS28-ESR", "Swollen Joint Count 28", ""),
    "ESR": ("DAS28-ESR", "Erythrocyte Sedimentation Rate", "mm/h"),
    "PTGLOBAL": ("DAS28-ESR", "Patient Global Assessment", "mm"),
    "DAS28ESR": ("DAS28-ESR", "DAS28-ESR Score", ""),
    "DASRESP": ("DAS28-ESR", "DAS28-ESR Remission (< 2.6)", ""),
    "CESSDAI": ("CLINESSDAI", "ClinESSDAI Total Score", ""),
    "CESSDRSP": ("CLINESSDAI", "ClinESSDAI Responder (improved >= 4)", ""),
}


def das28_esr(tjc: float, sjc: float, esr: float, patient_global: float) -> float:
    total = 0.56 * tjc**0.5 + 0.28 * sjc**0.5 + 0.70 * math.log(esr) + 0.014 * patient_global
    return round(total, 2)


def endpoint_results(s: Subject) -> list[tuple[tuple[float, str, int], str, object]]:
    """(visit, RSTESTCD, result) of the subject's efficacy records; the results vary with the
    subject so that both responders and non-responders occur."""
    k = s.index // len(DISEASES) % 3
    disease = disease_of(s)
    if disease == "IIM":
        tis = (65.0, 42.5, 80.0)[k]
        return [(WEEK_52, "TIS", tis), (WEEK_52, "TISRESP", "Y" if tis >= 60 else "N")]
    if disease == "SSc":
        criss = (72.0, 35.0, 55.0)[k]
        return [(WEEK_52, "RCRISS", criss), (WEEK_52, "RCRISRSP", "Y" if criss >= 50 else "N")]
    if disease == "RA":
        after = ((2, 1, 12, 20), (6, 4, 28, 45), (0, 0, 8, 10))[k]
        results = []
        for visit, parts in ((BASELINE, (12, 8, 38, 70)), (WEEK_52, after)):
            score = das28_esr(*parts)
            codes = ("TJC28", "SJC28", "ESR", "PTGLOBAL", "DAS28ESR")
            results += [(visit, c, float(v)) for c, v in zip(codes, (*parts, score), strict=True)]
        return results + [(WEEK_52, "DASRESP", "Y" if score < 2.6 else "N")]
    later = (8.0, 12.0, 9.0)[k]
    return [
        (BASELINE, "CESSDAI", 14.0),
        (WEEK_52, "CESSDAI", later),
        (WEEK_52, "CESSDRSP", "Y" if 14.0 - later >= 4 else "N"),
    ]


def make_rs(trial: Trial, subjects: list[Subject]) -> pd.DataFrame:
    """The efficacy instrument of each treated subject's disease, at baseline and Week 52."""
    rows = []
    for s in (s for s in subjects if s.treated):
        for seq, ((visitnum, visit, day), code, result) in enumerate(endpoint_results(s), 1):
            rows.append(rs_row(trial, s, seq, visitnum, visit, day, code, result))
    return pd.DataFrame(rows)


def rs_row(trial: Trial, s: Subject, seq: int, visitnum, visit, day, code, result) -> dict:
    category, test, unit = RS_TESTS[code]
    when = s.day0 + timedelta(days=day)
    text = result if isinstance(result, str) else f"{result:g}"
    return {
        "STUDYID": trial.studyid,
        "DOMAIN": "RS",
        "USUBJID": s.usubjid,
        "RSSEQ": float(seq),
        "RSTESTCD": code,
        "RSTEST": test,
        "RSCAT": category,
        "RSORRES": text,
        "RSORRESU": unit,
        "RSSTRESC": text,
        "RSSTRESN": float("nan") if isinstance(result, str) else float(result),
        "RSSTRESU": unit,
        "VISITNUM": visitnum,
        "VISIT": visit,
        "RSDTC": iso(when),
        "RSDY": study_day(when, s.reference()),
    }


def make_dl(trial: Trial, subjects: list[Subject], ae: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for index in trial.dlt_subjects:
        s = subjects[index]
        event = ae[(ae["USUBJID"] == s.usubjid) & (ae["AETERM"] == SEVERE[0].upper())].iloc[0]
        rows.append(
            {
                "STUDYID": trial.studyid,
                "DOMAIN": "DL",
                "USUBJID": s.usubjid,
                "DLSEQ": 1.0,
                "DLTERM": event["AETERM"],
                "DLAESEQ": event["AESEQ"],
                "DLSTDTC": event["AESTDTC"],
                "DLSTDY": event["AESTDY"],
                "DLTOXGR": "3",
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "STUDYID",
            "DOMAIN",
            "USUBJID",
            "DLSEQ",
            "DLTERM",
            "DLAESEQ",
            "DLSTDTC",
            "DLSTDY",
            "DLTOXGR",
        ],
    )


def make_study(trial: Trial) -> dict[str, pd.DataFrame]:
    subjects = trial.subjects()
    ae = make_ae(trial, subjects)
    return (
        {
            "dm": make_dm(trial, subjects),
            "ex": make_ex(trial, subjects),
            "ae": ae,
            "dl": make_dl(trial, subjects, ae),
            "suppae": make_suppae(trial, subjects),
        }
        | ({"pr": make_pr(trial, subjects)} if trial.transplant else {})
        | (
            {"mh": make_mh(trial, subjects), "rs": make_rs(trial, subjects)}
            if trial.endpoints
            else {}
        )
    )


def with_changes(trial: Trial, **changes) -> Trial:
    return replace(trial, **changes)


RESOLUTION = Trial(
    key="resolution",
    studyid="ALLO-329-101",
    product="ALLO-329",
    unit="10^6 cells",
    doses={"DL1": 40.0, "DL2": 120.0, "DL3": 360.0},
    cohorts=(("DL1-FC", 3), ("DL2-FC", 6), ("DL1-CY", 3), ("DL1-NOLD", 3)),
    first_day0=date(2025, 7, 7),
    dlt_subjects=(3,),
    ae_plan={
        0: [("Cytokine release syndrome", "IMMUNE SYSTEM DISORDERS", "1", "N", 2, 3)],
        1: [("Neutropenia", "BLOOD AND LYMPHATIC SYSTEM DISORDERS", "2", "N", 5, 9)],
        4: [("Fatigue", "GENERAL DISORDERS AND ADMINISTRATION SITE CONDITIONS", "1", "N", 12, 6)],
        6: [
            ("Headache", "NERVOUS SYSTEM DISORDERS", "1", "N", -2, 1),
            ("Anaemia", "BLOOD AND LYMPHATIC SYSTEM DISORDERS", "3", "N", 40, 8),
        ],
        8: [("Pyrexia", "GENERAL DISORDERS AND ADMINISTRATION SITE CONDITIONS", "2", "N", 1, 2)],
        10: [("Nausea", "GASTROINTESTINAL DISORDERS", "1", "N", 3, 2)],
        12: [("Cytokine release syndrome", "IMMUNE SYSTEM DISORDERS", "2", "N", 1, 4)],
        13: [("Rash", "SKIN AND SUBCUTANEOUS TISSUE DISORDERS", "1", "N", 20, 7)],
    },
)
RESET_02 = Trial(
    key="reset-02",
    studyid="SMART101-RESET02",
    product="SMART101",
    unit="10^6 cells/kg",
    doses={"DL1": 1.5, "DL2": 4.0, "DL3": 9.0},
    cohorts=(("DL1-NOLD", 3), ("DL2-NOLD", 3), ("DL3-NOLD", 3)),
    first_day0=date(2025, 3, 3),
    control_subjects=3,
    transplant="HLA-MISMATCHED HSCT",
)
WU_CART_007 = Trial(
    key="wu-cart-007",
    studyid="WU-CART-007-01",
    product="WU-CART-007",
    unit="10^6 cells",
    doses={"DL1": 100.0, "DL2": 300.0, "DL3": 900.0},
    cohorts=(("DL1-FC", 3), ("DL2-FC", 6), ("DL3-FC", 3)),
    first_day0=date(2025, 1, 13),
    dlt_subjects=(5, 9, 10),
)
AB_101 = Trial(
    key="ab-101",
    studyid="AB-101-RHEUM",
    product="AB-101",
    unit="10^6 cells",
    doses={"DL1": 1000.0, "DL2": 2000.0, "DL3": 4000.0},
    cohorts=(("DL1-FC", 3), ("DL2-FC", 3), ("DL3-FC", 6)),
    first_day0=date(2025, 4, 7),
    comedication="RITUXIMAB",
    endpoints=True,
    follow_up_days=400,
)
TRIALS = (RESOLUTION, RESET_02, WU_CART_007, AB_101)
