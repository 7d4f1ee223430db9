"""The variables the SDTM model allows in each domain, by the domain's class (SDTM v2.0 §3,
SDTMIG 3.4 §2.5), as `--` fragments where the domain prefix goes.

Interventions, Events and Findings domains (and DL, the sponsor events domain) take the
identifiers, their class's variables and the timing variables; Findings About takes the
Findings variables and --OBJ.  DM is special-purpose: only its own variables and VISITNUM,
VISIT, VISITDY and DMXFN (SDTMIG 3.4 DM assumption 8); AGETXT is SEND's, not the SDTMIG's
(CORE-000068).  The other special-purpose, trial design and relationship datasets (CO, SE, SM,
SV, TA, TS, RELREC, SUPP--, ...) are judged by their IG variables only (any IG version).  AE may
not use --OCCUR, --STAT or --REASND (AE assumptions: only events that occurred are recorded);
--EVDTYP belongs to MH only.  A custom domain takes the class its variables show (--TESTCD:
Findings, or Findings About with --OBJ; --TRT: Interventions; --TERM: Events).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from trialguard.sdtm import naming
from trialguard.sdtm.sdtmig import domain_rows, variable_rows

IDENTIFIERS = (
    "STUDYID DOMAIN USUBJID POOLID SPDEVID FOCID --SEQ --GRPID --REFID --SPID --LNKID --LNKGRP"
)
TIMING = (
    "VISITNUM VISIT VISITDY TAETORD EPOCH --DTC --STDTC --ENDTC --DY --STDY --ENDY --NOMDY "
    "--NOMLBL --DUR --TPT --TPTNUM --ELTM --TPTREF --RFTDTC --STRF --ENRF --EVLINT --EVINTX "
    "--STRTPT --STTPT --ENRTPT --ENTPT --STINT --ENINT --DETECT"
)
INTERVENTIONS = (
    "--TRT --MODIFY --DECOD --MOOD --CAT --SCAT --PRESP --OCCUR --STAT --REASND --REASOC --INDC "
    "--CLAS --CLASCD --DOSE --DOSTXT --DOSU --DOSFRM --DOSFRQ --DOSTOT --DOSRGM --ROUTE --LOT "
    "--LOC --LAT --DIR --PORTOT --FAST --PSTRG --PSTRGU --TRTV --VAMT --VAMTU --ADJ --RSDISC"
)
EVENTS = (
    "--TERM --MODIFY --LLT --LLTCD --DECOD --PTCD --HLT --HLTCD --HLGT --HLGTCD --CAT --SCAT "
    "--PRESP --OCCUR --STAT --REASND --BODSYS --BDSYCD --SOC --SOCCD --LOC --LAT --DIR --PORTOT "
    "--PARTY --PRTYID --SEV --SER --ACN --ACNOTH --ACNDEV --REL --RELNST --RLDEV --RLPRT "
    "--RLPRC --PATT --OUT --SCAN --SCONG --SDISAB --SDTH --SHOSP --SLIFE --SOD --SMIE --SINTV "
    "--UNANT --CONTRT --TOX --TOXGR --EVDTYP"
)
FINDINGS = (
    "--TESTCD --TEST --TSTDTL --MODIFY --CAT --SCAT --POS --BODSYS --ORRES --ORRESU --ORNRLO "
    "--ORNRHI --ORREF --STRESC --STRESN --STRESU --STNRLO --STNRHI --STNRC --STREFC --STREFN "
    "--NRIND --RESCAT --STAT --REASND --XFN --NAM --LOINC --SPEC --ANTREG --SPCCND --SPCUFL "
    "--LOC --LAT --DIR --PORTOT --METHOD --RUNID --ANMETH --LEAD --CSTATE --BLFL --LOBXFL "
    "--FAST --DRVFL --EVAL --EVALID --ACPTFL --TOX --TOXGR --SEV --DTHREL --LLOQ --ULOQ "
    "--EXCLFL --REASEX --REPNUM --BEATNO --CLSIG --AGENT --CONC --CONCU --CHRON --DISTR --PRIMFL"
)
DM = (
    "STUDYID DOMAIN USUBJID SUBJID RFSTDTC RFENDTC RFXSTDTC RFXENDTC RFICDTC RFPENDTC RFCSTDTC "
    "RFCENDTC DTHDTC DTHFL SITEID INVID INVNAM BRTHDTC AGE AGEU SEX RACE ETHNIC ARMCD ARM "
    "ACTARMCD ACTARM ARMNRS ACTARMUD COUNTRY DMDTC DMDY VISITNUM VISIT VISITDY DMXFN"
)
NOT_IN = {
    "AE": ("--OCCUR", "--STAT", "--REASND", "--EVDTYP"),
    **dict.fromkeys(("DL", "DS", "HO"), ("--EVDTYP",)),
}


@dataclass(frozen=True)
class ClassModel:
    """The variables one general observation class adds to the identifiers and timing."""

    variables: str
    topic: str  # the class's topic variable, as a fragment without `--`

    def fragments(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f"{IDENTIFIERS} {self.variables} {TIMING}".split()))


CLASS_MODELS = {
    "Interventions": ClassModel(INTERVENTIONS, "TRT"),
    "Events": ClassModel(EVENTS, "TERM"),
    "Findings": ClassModel(FINDINGS, "TESTCD"),
    "Findings About": ClassModel(f"{FINDINGS} --OBJ", "TESTCD"),
}


def custom_class(code: str, columns: Collection[str]) -> str | None:
    """The general class a domain's variables show: --TESTCD Findings (with --OBJ Findings
    About), --TRT Interventions, --TERM Events; None when they show none."""
    present = set(columns)
    if f"{code}TESTCD" in present:
        return "Findings About" if f"{code}OBJ" in present else "Findings"
    if f"{code}TRT" in present:
        return "Interventions"
    return "Events" if f"{code}TERM" in present else None


def model_variables(domain: str, columns: Collection[str] = ()) -> frozenset[str] | None:
    """Every variable the model allows in dataset `domain` (None for one it does not know);
    `columns` tell a custom domain's class."""
    if naming.is_supp(domain):
        return frozenset(v.name for v in variable_rows()["SUPP--"])
    code = naming.domain_code(domain)
    if code == "DM":
        return frozenset(DM.split())
    row = domain_rows().get(code)
    cls = row.cls if row else custom_class(code, columns)
    if cls in CLASS_MODELS:
        fragments = set(CLASS_MODELS[cls].fragments()) - set(NOT_IN.get(code, ()))
        return frozenset(f"{code}{f[2:]}" if f.startswith("--") else f for f in fragments)
    if row is None:
        return None
    return frozenset(v.name for v in variable_rows().get(code, ()))
