"""SDTMIG variables of the datasets trialguard checks: core, type, codelist, keys, by IG model.

Three models: "3.2" (SDTMIG 3.1.2 amendment 1 to 3.2), "3.3" and "3.4".  A variable
marked `3.3+` exists from SDTMIG 3.3 on (ARMNRS, ACTARMUD).  The DL (DLT) domain
is the project's sponsor-defined events domain (shared/protocols.md, "Data conventions").
"""

from __future__ import annotations

from dataclasses import dataclass

REQ, EXP, PERM = "Req", "Exp", "Perm"
MODELS = ("3.2", "3.3", "3.4")


@dataclass(frozen=True)
class Variable:
    name: str
    core: str
    numeric: bool = False
    codelist: str | None = None
    since: str = MODELS[0]  # the first IG model that has the variable

    @property
    def is_date(self) -> bool:
        return self.name.endswith("DTC")


def _vars(spec: str) -> tuple[Variable, ...]:
    """Parse 'NAME:Core[:num][:CODELIST][:3.3+]' entries separated by spaces."""
    variables = []
    for entry in spec.split():
        name, core, *rest = entry.split(":")
        numeric = "num" in rest
        since = next((r.removesuffix("+") for r in rest if r.endswith("+")), MODELS[0])
        codelist = next((r for r in rest if r != "num" and not r.endswith("+")), None)
        variables.append(Variable(name, core, numeric, codelist, since))
    return tuple(variables)


IDENTIFIERS = "STUDYID:Req DOMAIN:Req USUBJID:Req"

VARIABLES: dict[str, tuple[Variable, ...]] = {
    "DM": _vars(
        f"{IDENTIFIERS} SUBJID:Req RFSTDTC:Exp RFENDTC:Exp RFXSTDTC:Exp RFXENDTC:Exp "
        "RFICDTC:Exp RFPENDTC:Exp DTHDTC:Exp DTHFL:Exp:NY_Y SITEID:Req BRTHDTC:Perm "
        "AGE:Exp:num AGEU:Exp:AGEU SEX:Req:SEX RACE:Exp:RACE ETHNIC:Perm:ETHNIC "
        "ARMCD:Exp ARM:Exp ACTARMCD:Exp ACTARM:Exp ARMNRS:Exp:ARMNULRS:3.3+ ACTARMUD:Exp:3.3+ "
        "COUNTRY:Req "
        "DMDTC:Perm DMDY:Perm:num"
    ),
    "EX": _vars(
        f"{IDENTIFIERS} EXSEQ:Req:num EXTRT:Req EXDOSE:Exp:num EXDOSU:Exp:UNIT "
        "EXDOSFRM:Exp:FRM EXDOSFRQ:Perm:FREQ EXROUTE:Perm:ROUTE EXSTDTC:Exp EXENDTC:Exp "
        "EXSTDY:Perm:num EXENDY:Perm:num VISITNUM:Perm:num"
    ),
    "AE": _vars(
        f"{IDENTIFIERS} AESEQ:Req:num AETERM:Req AEDECOD:Req AEBODSYS:Exp "
        "AESEV:Perm:AESEV AESER:Exp:NY_YN AEACN:Exp:ACN AEREL:Exp AEOUT:Perm:OUT "
        "AESCAN:Perm:NY_YN AESCONG:Perm:NY_YN AESDISAB:Perm:NY_YN AESDTH:Perm:NY_YN "
        "AESHOSP:Perm:NY_YN AESLIFE:Perm:NY_YN AESOD:Perm:NY_YN AESMIE:Perm:NY_YN "
        "AECONTRT:Perm:NY_YN AETOXGR:Perm:TOXGR "
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

# Per-variable length limits of the IG, in characters (SDTMIG 3.4 DM: ARMCD, ACTARMCD).
MAX_LENGTHS: dict[str, int] = {"ARMCD": 20, "ACTARMCD": 20}

# (start, end) date pairs where the start is not after the end.
START_END_PAIRS: dict[str, tuple[tuple[str, str], ...]] = {
    "DM": (
        ("RFSTDTC", "RFENDTC"),
        ("RFXSTDTC", "RFXENDTC"),
        ("RFCSTDTC", "RFCENDTC"),
        ("BRTHDTC", "RFSTDTC"),
        ("RFICDTC", "RFXSTDTC"),
    ),
    "EX": (("EXSTDTC", "EXENDTC"),),
    "AE": (("AESTDTC", "AEENDTC"),),
}


def domain_variables(domain: str, model: str = MODELS[-1]) -> tuple[Variable, ...]:
    """The variables of `domain` in IG model `model` (3.2, 3.3 or 3.4)."""
    return tuple(
        v for v in VARIABLES.get(domain, ()) if MODELS.index(v.since) <= MODELS.index(model)
    )


def variable(domain: str, name: str, model: str = MODELS[-1]) -> Variable | None:
    return next((v for v in domain_variables(domain, model) if v.name == name), None)
