"""The variables the SDTM model allows in DM and in the Interventions (EX, CM, PR), Events (AE,
DL, MH, DS, HO) and Findings (RS, QS) classes, as `--` fragments where the domain prefix goes
(SDTM v2.0 §3.1, SDTMIG 3.4).  Other datasets (SV, TS, SUPP--, trial design) are not judged.

DM is special-purpose: only its own variables and VISITNUM, VISIT, VISITDY and DMXFN
(SDTMIG 3.4 DM assumption 8); AGETXT is SEND's, not the SDTMIG's (CORE-000068).  AE may
not use --OCCUR, --STAT or --REASND (AE assumptions: only events that occurred are
recorded); --EVDTYP belongs to MH only.
"""

from __future__ import annotations

IDENTIFIERS = "STUDYID DOMAIN USUBJID POOLID SPDEVID --SEQ --GRPID --REFID --SPID --LNKID --LNKGRP"
TIMING = (
    "VISITNUM VISIT VISITDY TAETORD EPOCH --DTC --STDTC --ENDTC --DY --STDY --ENDY --NOMDY "
    "--NOMLBL --DUR --TPT --TPTNUM --ELTM --TPTREF --RFTDTC --STRF --ENRF --EVLINT --EVINTX "
    "--STRTPT --STTPT --ENRTPT --ENTPT --STINT --ENINT --DETECT"
)
INTERVENTIONS = (
    "--TRT --MODIFY --DECOD --MOOD --CAT --SCAT --PRESP --OCCUR --STAT --REASND --INDC --CLAS "
    "--CLASCD --DOSE --DOSTXT --DOSU --DOSFRM --DOSFRQ --DOSTOT --DOSRGM --ROUTE --LOT --LOC "
    "--LAT --DIR --PORTOT --FAST --PSTRG --PSTRGU --TRTV --VAMT --VAMTU --ADJ --RSDISC"
)
EVENTS = (
    "--TERM --MODIFY --LLT --LLTCD --DECOD --PTCD --HLT --HLTCD --HLGT --HLGTCD --CAT --SCAT "
    "--PRESP --OCCUR --STAT --REASND --BODSYS --BDSYCD --SOC --SOCCD --LOC --LAT --DIR --PORTOT "
    "--PARTY --PRTYID --SEV --SER --ACN --ACNOTH --ACNDEV --REL --RELNST --RLDEV --RLPRT "
    "--RLPRC --PATT --OUT --SCAN --SCONG --SDISAB --SDTH --SHOSP --SLIFE --SOD --SMIE --SINTV "
    "--UNANT --CONTRT --TOX --TOXGR --EVDTYP"
)
FINDINGS = (
    "--TESTCD --TEST --TSTDTL --OBJ --CAT --SCAT --POS --BODSYS --ORRES --ORRESU --ORNRLO "
    "--ORNRHI --STRESC --STRESN --STRESU --STNRLO --STNRHI --STNRC --NRIND --RESCAT --STAT "
    "--REASND --XFN --NAM --LOINC --SPEC --ANTREG --SPCCND --SPCUFL --LOC --LAT --DIR --PORTOT "
    "--METHOD --RUNID --ANMETH --LEAD --CSTATE --BLFL --LOBXFL --FAST --DRVFL --EVAL --EVALID "
    "--ACPTFL --TOX --TOXGR --SEV --DTHREL --LLOQ --ULOQ --EXCLFL --REASEX --REPNUM --CHRON "
    "--DISTR --PRIMFL"
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
CLASS_OF = {
    **dict.fromkeys(("EX", "CM", "PR"), INTERVENTIONS),
    **dict.fromkeys(("AE", "DL", "MH", "DS", "HO"), EVENTS),
    **dict.fromkeys(("RS", "QS"), FINDINGS),
}


def model_variables(domain: str) -> frozenset[str] | None:
    """Every variable the model allows in `domain` (None for a domain it does not know)."""
    if domain == "DM":
        return frozenset(DM.split())
    if domain not in CLASS_OF:
        return None
    fragments = set(f"{IDENTIFIERS} {CLASS_OF[domain]} {TIMING}".split())
    fragments -= set(NOT_IN.get(domain, ()))
    return frozenset(f"{domain}{f[2:]}" if f.startswith("--") else f for f in fragments)
