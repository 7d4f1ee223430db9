"""Planted defects: each changes a clean study and records the finding it must produce.

A defect is written as data changes plus `expect(rule id, subject index,
variables)`; the expected list is what the golden tests compare with.
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
from studies import (
    AB_101,
    RESET_02,
    RESOLUTION,
    WU_CART_007,
    Trial,
    ex_row,
    iso,
    make_study,
    study_day,
    with_changes,
)

ORPHAN = -1


class Planter:
    """Applies defects to a study's frames and records the finding each must produce."""

    def __init__(self, trial: Trial) -> None:
        self.trial = trial
        self.frames = make_study(trial)
        self.subjects = trial.subjects()
        self.expected: list[tuple[str, str | None, list[str]]] = []

    def uid(self, index: int) -> str:
        return self.subjects[index].usubjid if index != ORPHAN else f"{self.trial.studyid}-0999"

    def expect(self, rule: str, index: int | None, *variables: str) -> None:
        self.expected.append((rule, None if index is None else self.uid(index), list(variables)))

    def rows(self, name: str, index: int, **match) -> pd.Index:
        frame = self.frames[name]
        mask = frame["USUBJID"] == self.uid(index)
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

    def day(self, index: int, protocol_day: int):
        return self.subjects[index].day0 + timedelta(days=protocol_day)

    def stamp(self, index: int, when) -> float:
        return study_day(when, self.subjects[index].reference())

    def next_seq(self, name: str, index: int, column: str) -> float:
        existing = self.frames[name].loc[self.rows(name, index), column]
        return float(existing.max() + 1) if len(existing) else 1.0

    def result(self):
        self._expect_stale_exposure_dates()
        return self.frames, sorted(self.expected, key=lambda e: (e[0], e[1] or "", e[2]))

    def _expect_stale_exposure_dates(self) -> None:
        """DM's RFXSTDTC / RFXENDTC are not re-derived after a planted exposure defect: each
        subject whose first / last EX date no longer matches is an expected finding."""
        ex, dm = self.frames["ex"], self.frames["dm"].drop_duplicates("USUBJID")
        start = ex["EXSTDTC"].astype("string").str[:10]
        end = ex["EXENDTC"].astype("string").str[:10].where(ex["EXENDTC"].astype("string") > "")
        end = end.fillna(start)
        complete = start.str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False)
        firsts = start[complete].groupby(ex.loc[complete, "USUBJID"]).min()
        lasts = end[complete].groupby(ex.loc[complete, "USUBJID"]).max()
        for rule, column, derived in (
            ("SD-RFXST", "RFXSTDTC", firsts),
            ("SD-RFXEN", "RFXENDTC", lasts),
        ):
            kept = dm.set_index("USUBJID")[column].astype("string").reindex(derived.index)
            for usubjid in derived.index[(kept.fillna("") != derived).to_numpy()]:
                self.expected.append((rule, str(usubjid), [column]))


# ---------------------------------------------------------------- shared defect helpers
def severe_ae(p: Planter, index: int, protocol_day: int, term: str = "FEBRILE NEUTROPENIA") -> dict:
    when = p.day(index, protocol_day)
    row = {
        "STUDYID": p.trial.studyid,
        "DOMAIN": "AE",
        "USUBJID": p.uid(index),
        "AESEQ": p.next_seq("ae", index, "AESEQ"),
        "AETERM": term,
        "AEDECOD": term.capitalize(),
        "AEBODSYS": "BLOOD AND LYMPHATIC SYSTEM DISORDERS",
        "AESER": "Y",
        "AEACN": "NOT APPLICABLE",
        "AETOXGR": "3",
        "AESTDTC": iso(when),
        "AEENDTC": iso(when + timedelta(days=4)),
        "AESTDY": p.stamp(index, when),
        "AEENDY": p.stamp(index, when) + 4,
    }
    if "AEREL" in p.frames["ae"].columns:
        row["AEREL"] = "RELATED"
    p.append("ae", row)
    return row


def dlt(p: Planter, index: int, term: str, ae_seq: float, onset: str, onset_day: float) -> None:
    p.append(
        "dl",
        {
            "STUDYID": p.trial.studyid,
            "DOMAIN": "DL",
            "USUBJID": p.uid(index),
            "DLSEQ": p.next_seq("dl", index, "DLSEQ"),
            "DLTERM": term,
            "DLAESEQ": ae_seq,
            "DLSTDTC": onset,
            "DLSTDY": onset_day,
            "DLTOXGR": "3",
        },
    )


def reported_dlt(p: Planter, index: int, protocol_day: int) -> None:
    ae = severe_ae(
        p, index, protocol_day, term="IMMUNE EFFECTOR CELL-ASSOCIATED NEUROTOXICITY SYNDROME"
    )
    dlt(p, index, ae["AETERM"], ae["AESEQ"], ae["AESTDTC"], ae["AESTDY"])


def add_exposure(p: Planter, index: int, treatment: str, first: int, last: int, **changes) -> None:
    row = ex_row(p.subjects[index], treatment, first, last) | changes
    p.append("ex", row | {"EXSEQ": p.next_seq("ex", index, "EXSEQ")})


# ---------------------------------------------------------------- RESOLUTION
def resolution() -> Planter:
    # one more subject, dosed at DL3-CY although nobody was dosed at DL2-CY: a skipped level
    p = Planter(with_changes(RESOLUTION, cohorts=RESOLUTION.cohorts + (("DL3-CY", 1),)))
    p.expect("RES-ESC", 15, "EXSTDTC")
    _resolution_conformance(p)
    _resolution_cross_domain(p)
    _resolution_protocol(p)
    _resolution_screening(p)
    return p


def _resolution_conformance(p: Planter) -> None:
    p.frames["dm"] = p.frames["dm"].drop(columns=["SITEID"])
    p.expect("SD-REQ-VAR", None, "SITEID")
    p.frames["ae"] = p.frames["ae"].drop(columns=["AEREL"])
    p.expect("SD-EXP-VAR", None, "AEREL")
    p.set("ae", 1, "AEDECOD", "")
    p.expect("SD-REQ-VAL", 1, "AEDECOD")
    p.frames["ex"]["VISITNUM"] = p.frames["ex"]["VISITNUM"].map(lambda v: f"{v:g}")
    p.set("ex", 2, "VISITNUM", "UNSCHEDULED", EXTRT=p.trial.product)
    p.expect("SD-NUM", 2, "VISITNUM")
    p.expect("SD-TYPE", None, "VISITNUM")  # stored as Char in XPT; a CSV stores no types
    p.set("dm", 4, "SEX", "MALE")
    p.expect("SD-CT", 4, "SEX")
    p.set("ex", 5, "EXROUTE", "IV", EXSEQ=1.0)
    p.expect("SD-CT-SUBSET", 5, "EXROUTE")
    p.set("ae", 8, "AEENDTC", "2025-02-30")
    p.set("ae", 8, "AEENDY", float("nan"))
    p.expect("SD-DTC", 8, "AEENDTC")
    p.set("ae", 10, "DOMAIN", "EA")
    p.expect("SD-DOMAIN", 10, "DOMAIN")
    p.set("ex", 9, "STUDYID", "ALLO-329-10", EXTRT=p.trial.product)
    p.expect("SD-STUDYID", 9, "STUDYID")
    p.set("ae", 6, "AESEQ", 1.0, AESEQ=2.0)
    p.expect("SD-KEY", 6, "USUBJID", "AESEQ")
    # SUPPAE still points at AESEQ 2 of that subject, which no longer exists
    p.expect("SD-SUPP-PARENT", 6, "RDOMAIN", "IDVAR", "IDVARVAL")
    flag = p.frames["suppae"].loc[p.rows("suppae", 4)[0]].to_dict()
    p.append("suppae", flag | {"QVAL": "N"})  # a second, contradicting AETRTEM for one AE
    p.expect("SD-SUPP-QNAM", 4, "RDOMAIN", "IDVAR", "IDVARVAL", "QNAM", "QVAL")


def _resolution_screening(p: Planter) -> None:
    """Consent 40 days before the infusion: 35 days before lymphodepletion starts."""
    consent = p.day(7, -40)
    p.set("dm", 7, "RFICDTC", iso(consent))
    p.expect("RES-SCREEN", 7, "RFICDTC")


def _resolution_cross_domain(p: Planter) -> None:
    orphan = p.frames["ae"].iloc[0].to_dict() | {
        "USUBJID": p.uid(ORPHAN),
        "AESEQ": 1.0,
        "AESTDY": float("nan"),
        "AEENDY": float("nan"),
    }
    p.append("ae", orphan)
    p.expect("SD-SUBJ", ORPHAN, "USUBJID")
    end = p.day(13, 15)
    p.set("ae", 13, "AEENDTC", iso(end))
    p.set("ae", 13, "AEENDY", p.stamp(13, end))
    p.expect("SD-STEN", 13, "AESTDTC", "AEENDTC")
    p.expect("SD-DY-ORDER", 13, "AESTDY", "AEENDY")  # the study days follow the dates
    rows = p.rows("ae", 12)
    p.frames["ae"].loc[rows, "AESTDY"] = p.frames["ae"].loc[rows, "AESTDY"] + 1
    p.expect("SD-DY", 12, "AESTDY", "AESTDTC")


def _resolution_protocol(p: Planter) -> None:
    product = p.trial.product
    p.set("dm", 14, "AGE", 70.0)
    p.expect("RES-AGE", 14, "AGE", "AGEU")
    add_exposure(p, 11, product, 14, 14)
    p.expect("CT-INF-ONE", 11, "EXTRT")
    p.set("ex", 7, "EXROUTE", "SUBCUTANEOUS", EXTRT=product)
    p.expect("CT-INF-IV", 7, "EXTRT", "EXROUTE")
    p.set("ex", 0, "EXDOSE", 120.0, EXTRT=product)
    p.expect("RES-DOSE", 0, "EXDOSE", "EXDOSU")
    p.expect("RES-ESC", 0, "EXSTDTC")  # the dose given is DL2's, the arm says DL1
    for day in (-5, -4, -3):
        add_exposure(p, 10, "FLUDARABINE", day, day)
    p.expect("RES-LD-ARM", 10, "EXTRT")
    _cyclophosphamide_day(p, 9, "EXSTDTC", "EXSTDY", -7)
    p.expect("RES-LD-WIN", 9, "EXTRT", "EXSTDTC")
    _cyclophosphamide_day(p, 1, "EXENDTC", "EXENDY", 0)
    p.expect("RES-LD-WIN", 1, "EXTRT", "EXENDTC", "EXSTDTC")
    late = severe_ae(p, 5, 35)
    dlt(p, 5, late["AETERM"], late["AESEQ"], late["AESTDTC"], late["AESTDY"])
    p.expect("CT-DLT-WIN", 5, "DLSTDTC")
    when = p.day(4, 8)
    dlt(p, 4, "HEPATOTOXICITY", 99.0, iso(when), p.stamp(4, when))
    p.expect("CT-DLT-AE", 4, "DLAESEQ")
    # that second DLT among the first three of DL2-FC stops the level: the three dosed after it
    for index in (6, 7, 8):
        p.expect("RES-ESC", index, "EXSTDTC")
    severe_ae(p, 2, 10)
    p.expect("CT-DLT-MISS", 2, "AESEQ", "AETERM", "AETOXGR", "AESTDTC")


def _cyclophosphamide_day(p: Planter, index: int, column: str, day_column: str, day: int) -> None:
    when = p.day(index, day)
    rows = p.rows("ex", index, EXTRT="CYCLOPHOSPHAMIDE")
    p.frames["ex"].loc[rows, column] = iso(when)
    p.frames["ex"].loc[rows, day_column] = p.stamp(index, when)


# ---------------------------------------------------------------- ReSET-02
def _reset_02_transplants(p: Planter) -> None:
    """One subject's transplant missing from PR; another's recorded after the infusion."""
    p.frames["pr"] = p.frames["pr"].drop(p.rows("pr", 6))
    p.expect("RST-HSCT", 6, "EXTRT", "EXSTDTC")
    late = p.day(7, 2)
    p.set("pr", 7, "PRSTDTC", iso(late))
    p.set("pr", 7, "PRSTDY", p.stamp(7, late))
    p.expect("RST-HSCT", 7, "EXTRT", "EXSTDTC")


def reset_02() -> Planter:
    # the first DL2 subject is infused 10 days after the last DL1 one: inside its DLT window
    p = Planter(with_changes(RESET_02, day0_shift={3: -20, 4: -20, 5: -20}))
    for index in (3, 4, 5):
        p.expect("RST-ESC", index, "EXSTDTC")
    p.set("dm", 1, "AGE", 17.0)
    p.expect("RST-AGE", 1, "AGE", "AGEU")
    control = 9
    add_exposure(p, control, p.trial.product, 0, 0, EXDOSE=9.0)
    p.expect("RST-SOC", control, "EXTRT")
    p.expect("RST-DOSE", control, "EXDOSE", "EXDOSU")  # SOC names no dose level
    p.expect("RST-LD", control, "ACTARMCD")  # nor a lymphodepletion arm
    failure = 12
    p.append(
        "ex",
        {
            "STUDYID": p.trial.studyid,
            "DOMAIN": "EX",
            "USUBJID": p.uid(failure),
            "EXSEQ": 1.0,
            "EXTRT": "CYCLOPHOSPHAMIDE",
            "EXDOSE": 500.0,
            "EXDOSU": "mg/m2",
            "EXDOSFRM": "INJECTION, SOLUTION",
            "EXROUTE": "INTRAVENOUS",
            "VISITNUM": 2.0,
            "EXSTDTC": iso(p.subjects[failure].day0),
            "EXENDTC": iso(p.subjects[failure].day0),
            "EXSTDY": float("nan"),
            "EXENDY": float("nan"),
        },
    )
    p.expect("CT-SF", failure, "EXTRT")
    _reset_02_transplants(p)
    p.expect("CT-INF-ONE", failure, "EXTRT")  # any EX record makes a subject treated: no product
    return p


# ---------------------------------------------------------------- WU-CART-007
def wu_cart_007() -> Planter:
    # a second DLT among the first three of DL2: escalation to DL3 should have stopped
    p = Planter(WU_CART_007)
    reported_dlt(p, 4, 9)
    for index in (9, 10, 11):
        p.expect("WU-ESC", index, "EXSTDTC")
    for index in (6, 7, 8):  # and DL2 itself took three more subjects after it stopped
        p.expect("WU-ESC", index, "EXSTDTC")
    p.frames["ex"] = p.frames["ex"].drop(p.rows("ex", 1, EXTRT="FLUDARABINE"))
    p.expect("WU-LD", 1, "ACTARMCD")
    p.set("ex", 0, "EXDOSE", 150.0, EXTRT=p.trial.product)  # no level's dose: not an ESC finding
    p.expect("WU-DOSE", 0, "EXDOSE", "EXDOSU")
    _cyclophosphamide_day(p, 2, "EXSTDTC", "EXSTDY", -6)
    p.expect("WU-LD-WIN", 2, "EXTRT", "EXSTDTC")
    _transport_limits(p)
    _trial_sets(p)
    return p


def _trial_sets(p: Planter) -> None:
    """A SEND trial sets dataset (TX) sent by mistake: read and counted; SDTMIG has no such
    domain and its variables show no class, so no conformance rule can check it."""
    arms = sorted(set(p.frames["dm"]["ARMCD"].dropna()) - {""})
    p.frames["tx"] = pd.DataFrame(
        {
            "STUDYID": p.trial.studyid,
            "DOMAIN": "TX",
            "SETCD": [str(n) for n in range(1, len(arms) + 1)],
            "TXSEQ": 1.0,
            "TXPARMCD": "ARMCD",
            "TXPARM": "Arm Code",
            "TXVAL": arms,
        }
    )
    p.expect("SD-METADATA", None)


def _transport_limits(p: Planter) -> None:
    # a sponsor variable with an underscore; a narrative pasted into AETERM; a line break
    p.frames["ae"]["AE_NOTE"] = ""
    p.expect("SD-XPT", None, "AE_NOTE")
    p.expect("SD-MODEL", None, "AE_NOTE")  # not an AE variable either
    p.set("ae", 0, "AETERM", "CYTOKINE RELEASE SYNDROME " + "WITH FEVER AND HYPOTENSION " * 8)
    p.expect("SD-LEN", 0, "AETERM")
    p.set("ae", 5, "AETERM", "FEVER\nCHILLS")
    p.expect("SD-TEXT", 5, "AETERM")


# ---------------------------------------------------------------- AB-101
def ab_101() -> Planter:
    p = Planter(
        with_changes(
            AB_101, cohorts=(("DL1-FC", 7),) + AB_101.cohorts[1:], legacy_screen_failure=True
        )
    )
    p.expect("AB-ESC", 6, "EXSTDTC")  # a seventh subject at DL1
    p.expect("SD-SCRNFAIL", 16, "ARMCD", "ACTARMCD")
    p.frames["ex"] = p.frames["ex"].drop(p.rows("ex", 8, EXTRT="RITUXIMAB"))
    p.expect("AB-RTX", 8, "EXTRT")
    p.set("dm", 2, "AGE", 16.0)
    p.expect("AB-AGE", 2, "AGE", "AGEU")
    p.set("ex", 9, "EXDOSE", 2500.0, EXTRT=p.trial.product)
    p.expect("AB-DOSE", 9, "EXDOSE", "EXDOSU")
    p.frames["ex"] = p.frames["ex"].drop(p.rows("ex", 10, EXTRT="CYCLOPHOSPHAMIDE"))
    p.expect("AB-LD", 10, "ACTARMCD")
    last_flu = p.rows("ex", 11, EXTRT="FLUDARABINE")[-1]
    infusion = iso(p.day(11, 0))
    p.frames["ex"].loc[last_flu, ["EXSTDTC", "EXENDTC"]] = [infusion, infusion]
    p.frames["ex"].loc[last_flu, ["EXSTDY", "EXENDY"]] = [p.stamp(11, p.day(11, 0))] * 2
    p.expect("AB-LD-WIN", 11, "EXTRT", "EXENDTC", "EXSTDTC")
    _assigned_not_treated(p, planned=92)
    _ab_101_endpoints(p)
    return p


def _ab_101_endpoints(p: Planter) -> None:
    """Diagnoses and Week 52 efficacy records that break the endpoint rules."""
    p.frames["mh"] = p.frames["mh"].drop(p.rows("mh", 12))  # IIM, no diagnosis left
    p.expect("AB-DX", 12, "USUBJID")
    p.set("mh", 13, "MHTERM", "PSORIATIC ARTHRITIS")
    p.set("mh", 13, "MHDECOD", "Psoriatic arthritis")
    p.expect("AB-DX", 13, "MHCAT", "MHTERM", "MHDECOD")
    p.frames["rs"] = p.frames["rs"].drop(p.rows("rs", 4, VISIT="WEEK 52"))  # IIM, no TIS
    p.expect("AB-W52", 4, "USUBJID")
    late = p.day(5, 420)  # SSc: the Week 52 rCRISS 56 days late
    p.set("rs", 5, "RSDTC", iso(late), VISIT="WEEK 52")
    p.set("rs", 5, "RSDY", p.stamp(5, late), VISIT="WEEK 52")
    p.expect("AB-W52", 5, "USUBJID")
    p.expect("AB-W52", 5, "RSTESTCD", "VISIT", "RSDTC")
    results = ["RSTESTCD", "RSORRES", "RSSTRESC", "RSSTRESN"]
    for column, value in (("RSORRES", "120"), ("RSSTRESC", "120"), ("RSSTRESN", 120.0)):
        p.set("rs", 0, column, value, RSTESTCD="TIS")  # IIM: TIS is 0 to 100
    p.expect("AB-W52-RANGE", 0, *results)
    for column in ("RSORRES", "RSSTRESC"):
        p.set("rs", 14, column, "YES", RSTESTCD="DASRESP")  # not Y or N
        p.set("rs", 2, column, "Y", RSTESTCD="DASRESP")  # RA: DAS28-ESR 3.09, not < 2.6
        p.set("rs", 3, column, "N", RSTESTCD="CESSDRSP")  # SjD: ClinESSDAI improved by 6
    p.expect("AB-W52-RANGE", 14, *results)
    p.expect("AB-W52-RESP", 2, "RSTESTCD", "RSORRES", "RSSTRESC", "RSDTC")
    p.expect("AB-W52-RESP", 3, "RSTESTCD", "RSORRES", "RSSTRESC", "RSDTC")
    for column, value in (("RSORRES", "5.99"), ("RSSTRESC", "5.99"), ("RSSTRESN", 5.99)):
        p.set("rs", 10, column, value, RSTESTCD="DAS28ESR", VISIT="SCREENING")  # gives 6.26
    p.expect("AB-DAS28", 10, "RSTESTCD", "RSSTRESC", "RSSTRESN", "VISITNUM")


def _assigned_not_treated(p: Planter, planned: int) -> None:
    """Subjects assigned to DL1-FC but never treated, until enrollment passes the plan."""
    dm = p.frames["dm"]
    enrolled = int((dm["ARMNRS"] != "SCREEN FAILURE").sum() - (dm["ARMCD"] == "SCRNFAIL").sum())
    template = dm[dm["ARMCD"] == "DL1-FC"].iloc[0].to_dict()
    for number in range(planned + 1 - enrolled):
        usubjid = f"{p.trial.studyid}-{901 + number:04d}"
        p.append(
            "dm",
            template
            | {
                "USUBJID": usubjid,
                "SUBJID": str(901 + number),
                "RFSTDTC": "",
                "RFENDTC": "",
                "RFXSTDTC": "",
                "RFXENDTC": "",
                "ACTARMCD": "",
                "ACTARM": "",
                "ARMNRS": "ASSIGNED, NOT TREATED",
            },
        )
    p.expect("AB-ENROL", None, "USUBJID")


DEFECTS = {
    "resolution": resolution,
    "reset-02": reset_02,
    "wu-cart-007": wu_cart_007,
    "ab-101": ab_101,
}
