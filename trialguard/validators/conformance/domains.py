"""SDTMIG variables of the datasets trialguard checks: core, type, codelist, keys, by IG model.

Three models: "3.2" (SDTMIG 3.1.2 amendment 1 to 3.2), "3.3" and "3.4".  A variable
marked `3.3+` exists from SDTMIG 3.3 on (ARMNRS, ACTARMUD).  The DL (DLT) domain
is the project's sponsor-defined events domain (shared/protocols.md, "Data conventions").
Every SUPP-- dataset (SUPPAE, SUPPDM, ...) shares the SUPP-- metadata; a dataset of any other
name has no metadata here, and is read and listed, never checked against a guess.
"""

from __future__ import annotations

import re
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
SUPP = "SUPP--"  # the metadata every SUPP-- dataset shares
SUPP_NAME = re.compile(r"SUPP(?:[A-Z]{2}|QUAL)")
CORE_DATASETS = ("DM", "EX", "AE", "DL")  # the datasets every protocol rule reads

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
    "TS": _vars(
        # TSVALCD, TSVCDREF and TSVCDVER came with SDTMIG 3.1.3: the 3.2 model also stands
        # for 3.1.2, so they are expected from the 3.3 model on.
        "STUDYID:Req DOMAIN:Req TSSEQ:Req:num TSGRPID:Perm TSPARMCD:Req TSPARM:Req TSVAL:Exp "
        "TSVALNF:Perm TSVALCD:Exp:3.3+ TSVCDREF:Exp:3.3+ TSVCDVER:Exp:3.3+"
    ),
    "SV": _vars(
        f"{IDENTIFIERS} VISITNUM:Req:num VISIT:Perm VISITDY:Perm:num EPOCH:Perm "
        "SVSTDTC:Exp SVENDTC:Exp SVSTDY:Perm:num SVENDY:Perm:num SVUPDES:Perm"
    ),
    "MH": _vars(
        f"{IDENTIFIERS} MHSEQ:Req:num MHTERM:Req MHDECOD:Perm MHCAT:Perm MHSCAT:Perm "
        "MHPRESP:Perm:NY MHOCCUR:Perm:NY MHSTAT:Perm:ND MHREASND:Perm MHBODSYS:Perm "
        "MHDTC:Perm MHSTDTC:Perm MHENDTC:Perm MHDY:Perm:num MHSTDY:Perm:num MHENDY:Perm:num"
    ),
    "DS": _vars(
        f"{IDENTIFIERS} DSSEQ:Req:num DSTERM:Req DSDECOD:Req DSCAT:Exp DSSCAT:Perm EPOCH:Perm "
        "DSDTC:Perm DSSTDTC:Exp DSDY:Perm:num DSSTDY:Perm:num"
    ),
    "CM": _vars(
        f"{IDENTIFIERS} CMSEQ:Req:num CMTRT:Req CMMODIFY:Perm CMDECOD:Perm CMCAT:Perm "
        "CMSCAT:Perm CMPRESP:Perm:NY CMOCCUR:Perm:NY CMSTAT:Perm:ND CMREASND:Perm CMINDC:Perm "
        "CMCLAS:Perm CMDOSE:Perm:num CMDOSTXT:Perm CMDOSU:Perm:UNIT CMDOSFRM:Perm:FRM "
        "CMDOSFRQ:Perm:FREQ CMDOSTOT:Perm:num CMROUTE:Perm:ROUTE CMSTDTC:Perm CMENDTC:Perm "
        "CMSTDY:Perm:num CMENDY:Perm:num CMDUR:Perm"
    ),
    "PR": _vars(
        f"{IDENTIFIERS} PRSEQ:Req:num PRTRT:Req PRDECOD:Perm PRCAT:Perm PRSCAT:Perm "
        "PRPRESP:Perm:NY PROCCUR:Perm:NY PRSTAT:Perm:ND PRREASND:Perm PRINDC:Perm "
        "PRDOSE:Perm:num PRDOSU:Perm:UNIT PRROUTE:Perm:ROUTE VISITNUM:Perm:num "
        "PRSTDTC:Exp PRENDTC:Perm PRSTDY:Perm:num PRENDY:Perm:num"
    ),
    "HO": _vars(
        f"{IDENTIFIERS} HOSEQ:Req:num HOTERM:Req HODECOD:Perm HOCAT:Perm HOPRESP:Perm:NY "
        "HOOCCUR:Perm:NY HOSTAT:Perm:ND HOREASND:Perm HOSTDTC:Exp HOENDTC:Perm HOSTDY:Perm:num "
        "HOENDY:Perm:num HODUR:Perm"
    ),
    "RS": _vars(
        f"{IDENTIFIERS} RSSEQ:Req:num RSTESTCD:Req RSTEST:Req RSCAT:Exp RSSCAT:Perm "
        "RSORRES:Exp RSORRESU:Perm RSSTRESC:Exp RSSTRESN:Perm:num RSSTRESU:Perm RSSTAT:Perm:ND "
        "RSREASND:Perm RSEVAL:Perm VISITNUM:Exp:num VISIT:Perm VISITDY:Perm:num "
        "RSDTC:Exp RSDY:Perm:num"
    ),
    "QS": _vars(
        f"{IDENTIFIERS} QSSEQ:Req:num QSTESTCD:Req QSTEST:Req QSCAT:Req QSSCAT:Perm "
        "QSORRES:Exp QSORRESU:Perm QSSTRESC:Exp QSSTRESN:Exp:num QSSTRESU:Perm QSSTAT:Perm:ND "
        "QSREASND:Perm QSBLFL:Exp:NY_Y QSDRVFL:Perm:NY_Y QSEVAL:Perm VISITNUM:Exp:num "
        "VISIT:Perm VISITDY:Perm:num QSDTC:Exp QSDY:Perm:num"
    ),
    SUPP: _vars(
        "STUDYID:Req RDOMAIN:Req USUBJID:Req IDVAR:Exp IDVARVAL:Exp QNAM:Req QLABEL:Req "
        "QVAL:Req QORIG:Req QEVAL:Exp"
    ),
}

KEYS: dict[str, tuple[str, ...]] = {
    "DM": ("USUBJID",),
    "EX": ("USUBJID", "EXSEQ"),
    "AE": ("USUBJID", "AESEQ"),
    "DL": ("USUBJID", "DLSEQ"),
    "TS": ("TSPARMCD", "TSSEQ"),
    "SV": ("USUBJID", "VISITNUM"),
    **{name: ("USUBJID", f"{name}SEQ") for name in ("MH", "DS", "CM", "PR", "HO", "RS", "QS")},
}

# (date variable, study-day variable) pairs checked against DM.RFSTDTC.
STUDY_DAY_PAIRS: dict[str, tuple[tuple[str, str], ...]] = {
    "DM": (("DMDTC", "DMDY"),),
    "EX": (("EXSTDTC", "EXSTDY"), ("EXENDTC", "EXENDY")),
    "AE": (("AESTDTC", "AESTDY"), ("AEENDTC", "AEENDY")),
    "DL": (("DLSTDTC", "DLSTDY"),),
    "SV": (("SVSTDTC", "SVSTDY"), ("SVENDTC", "SVENDY")),
    "MH": (("MHDTC", "MHDY"), ("MHSTDTC", "MHSTDY"), ("MHENDTC", "MHENDY")),
    "DS": (("DSDTC", "DSDY"), ("DSSTDTC", "DSSTDY")),
    "CM": (("CMSTDTC", "CMSTDY"), ("CMENDTC", "CMENDY")),
    "PR": (("PRSTDTC", "PRSTDY"), ("PRENDTC", "PRENDY")),
    "HO": (("HOSTDTC", "HOSTDY"), ("HOENDTC", "HOENDY")),
    "RS": (("RSDTC", "RSDY"),),
    "QS": (("QSDTC", "QSDY"),),
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
    **{name: ((f"{name}STDTC", f"{name}ENDTC"),) for name in ("SV", "MH", "CM", "PR", "HO")},
}


def ig_domain(name: str) -> str | None:
    """The metadata a dataset named `name` is checked against (SUPP-- for SUPPAE, ...), or
    None when trialguard has none for it."""
    if name in VARIABLES and name != SUPP:
        return name
    return SUPP if SUPP_NAME.fullmatch(name) else None


def domain_variables(domain: str, model: str = MODELS[-1]) -> tuple[Variable, ...]:
    """The variables of dataset `domain` in IG model `model` (3.2, 3.3 or 3.4)."""
    return tuple(
        v
        for v in VARIABLES.get(ig_domain(domain) or "", ())
        if MODELS.index(v.since) <= MODELS.index(model)
    )


def keys_of(name: str) -> tuple[str, ...]:
    """The variables that identify one record of dataset `name` (none known: empty).  SUPP--
    records are keyed by their parent and QNAM, checked by the supp_qnam_unique rule."""
    return KEYS.get(name, ())


def variable(domain: str, name: str, model: str = MODELS[-1]) -> Variable | None:
    return next((v for v in domain_variables(domain, model) if v.name == name), None)
