"""SDTMIG 3.4 variables of the datasets trialguard checks: core, type, codelist, keys.

The DL (DLT) domain is the project's sponsor-defined events domain
(shared/protocols.md, "Data conventions").
"""

from __future__ import annotations

from dataclasses import dataclass

REQ, EXP, PERM = "Req", "Exp", "Perm"


@dataclass(frozen=True)
class Variable:
    name: str
    core: str
    numeric: bool = False
    codelist: str | None = None

    @property
    def is_date(self) -> bool:
        return self.name.endswith("DTC")


def _vars(spec: str) -> tuple[Variable, ...]:
    """Parse 'NAME:Core[:num][:CODELIST]' entries separated by spaces."""
    variables = []
    for entry in spec.split():
        name, core, *rest = entry.split(":")
        numeric = "num" in rest
        codelist = next((r for r in rest if r != "num"), None)
        variables.append(Variable(name, core, numeric, codelist))
    return tuple(variables)


IDENTIFIERS = "STUDYID:Req DOMAIN:Req USUBJID:Req"

VARIABLES: dict[str, tuple[Variable, ...]] = {
    "DM": _vars(
        f"{IDENTIFIERS} SUBJID:Req RFSTDTC:Exp RFENDTC:Exp RFXSTDTC:Exp RFXENDTC:Exp "
        "RFICDTC:Exp RFPENDTC:Exp DTHDTC:Exp DTHFL:Exp:NY_Y SITEID:Req BRTHDTC:Perm "
        "AGE:Exp:num AGEU:Exp:AGEU SEX:Req:SEX RACE:Exp:RACE ETHNIC:Perm:ETHNIC "
        "ARMCD:Exp ARM:Exp ACTARMCD:Exp ACTARM:Exp ARMNRS:Exp:ARMNULRS COUNTRY:Req "
        "DMDTC:Perm DMDY:Perm:num"
    ),
    "EX": _vars(
        f"{IDENTIFIERS} EXSEQ:Req:num EXTRT:Req EXDOSE:Exp:num EXDOSU:Exp:UNIT "
        "EXDOSFRM:Exp:FRM EXDOSFRQ:Perm:FREQ EXROUTE:Perm:ROUTE EXSTDTC:Exp EXENDTC:Exp "
        "EXSTDY:Perm:num EXENDY:Perm:num VISITNUM:Perm:num"
    ),
    "AE": _vars(
        f"{IDENTIFIERS} AESEQ:Req:num AETERM:Req AEDECOD:Req AEBODSYS:Exp "
        "AESEV:Perm:AESEV AESER:Exp:NY AEACN:Exp:ACN AEREL:Exp AEOUT:Perm:OUT "
        "AESCAN:Perm:NY AESCONG:Perm:NY AESDISAB:Perm:NY AESDTH:Perm:NY AESHOSP:Perm:NY "
        "AESLIFE:Perm:NY AESOD:Perm:NY AESMIE:Perm:NY AECONTRT:Perm:NY AETOXGR:Perm:TOXGR "
        "AESTDTC:Exp AEENDTC:Exp AESTDY:Perm:num AEENDY:Perm:num"
    ),
    "DL": _vars(
        f"{IDENTIFIERS} DLSEQ:Req:num DLTERM:Req DLAESEQ:Exp:num DLSTDTC:Exp "
        "DLSTDY:Perm:num DLTOXGR:Exp:DLTOXGR"
    ),
}

KEYS: dict[str, tuple[str, ...]] = {
    "DM": ("USUBJID",),
    "EX": ("USUBJID", "EXSEQ"),
    "AE": ("USUBJID", "AESEQ"),
    "DL": ("USUBJID", "DLSEQ"),
}

# (date variable, study-day variable) pairs checked against DM.RFSTDTC.
STUDY_DAY_PAIRS: dict[str, tuple[tuple[str, str], ...]] = {
    "DM": (("DMDTC", "DMDY"),),
    "EX": (("EXSTDTC", "EXSTDY"), ("EXENDTC", "EXENDY")),
    "AE": (("AESTDTC", "AESTDY"), ("AEENDTC", "AEENDY")),
    "DL": (("DLSTDTC", "DLSTDY"),),
}

START_END_PAIRS: dict[str, tuple[str, str]] = {
    "EX": ("EXSTDTC", "EXENDTC"),
    "AE": ("AESTDTC", "AEENDTC"),
}


def variable(domain: str, name: str) -> Variable | None:
    return next((v for v in VARIABLES.get(domain, ()) if v.name == name), None)
