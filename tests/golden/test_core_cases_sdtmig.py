"""CDISC CORE's test cases of the Findings, Findings About, Trial Design and Relationship
classes (core-open-rules/cases-sdtmig), run through trialguard's citing rules.

The DM, EX and AE rules' cases are tested from core-open-rules/cases (test_core_cases.py); here
every other CORE rule of these classes that a rule of the bundled sdtm spec cites is run on
each of its cases (see core_harness for what a case proves).  A case without DM carries a
fill-in DM (STUDYID, DOMAIN, USUBJID) so that trialguard reads it; findings on that DM are not
compared.  Where CORE's expectation is wrong the case is in CORE_IS_WRONG with what trialguard
rightly flags instead; where trialguard misses what CORE rightly flags, in TRIALGUARD_MISSES
(a strict xfail, so a fix is noticed).
"""

from __future__ import annotations

import pytest
from conftest import EXTERNAL
from core_harness import (
    CaseFolder,
    CaseKey,
    Judged,
    case_param,
    check_judged_in_scope,
    records,
)
from test_core_cases import RUN_FROM_SDTMIG

CASES = CaseFolder(EXTERNAL / "core-open-rules" / "cases-sdtmig")
DM_EX_AE = CaseFolder(EXTERNAL / "core-open-rules" / "cases")
CLASSES = {"Findings", "Findings About", "Trial Design", "Relationship"}
pytestmark = pytest.mark.skipif(not CASES.root.is_dir(), reason=f"{CASES.root} is absent")


def no_parent(supp: str, parent: str) -> str:
    return (
        f"the case holds no {parent}, the parent {supp} points at: a CORE-000457 error, which "
        "SD-SUPP-PARENT also stands for; the case is clean only for its own condition"
    )


CORE_IS_WRONG: dict[CaseKey, Judged] = {
    ("CORE-000099", "positive-01"): Judged(
        "EG 3 and FA 2 are NOT DONE without a reason (--REASND): CORE-000774's error, which "
        "SD-NOTDONE also stands for; the case is clean only for CORE-000099's own condition",
        flagged=records("EG", 3) | records("FA", 2),
    ),
    ("CORE-000132", "negative-01"): Judged(
        "CORE counts TA record 1's empty ELEMENT as a second description of SCREEN: an empty "
        "value is a missing one (SD-REQ-VAL's concern), not a second mapping; TE's real break "
        "(records 3 and 6) is flagged",
        flagged=records("TE", 3, 6),
    ),
    ("CORE-000134", "positive-01"): Judged(
        no_parent("SUPPAE", "AE"),
        flagged=records("SUPPAE", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
    ),
    ("CORE-000134", "positive-02"): Judged(
        no_parent("SUPPEC", "EC"),
        flagged=records("SUPPEC", 1, 2, 3, 4, 5, 6, 7),
    ),
    ("CORE-000135", "positive-01"): Judged(
        no_parent("SUPPAE", "AE"),
        flagged=records("SUPPAE", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
    ),
    ("CORE-000135", "positive-02"): Judged(
        no_parent("SUPPEC", "EC"),
        flagged=records("SUPPEC", 1, 2, 3, 4, 5, 6, 7),
    ),
    ("CORE-000136", "positive-01"): Judged(
        "RELREC 9 relates AESEQ 2 without a USUBJID (a subject's record named at dataset "
        "level) and RELREC 10 is the only record of its RELID AEMH1 for its subject: the errors "
        "of CORE-000136's and CORE-000484's own kind, which SD-RELREC-TYPE stands for",
        flagged=records("RELREC", 9, 10),
    ),
    ("CORE-000173", "positive-01"): Judged(
        "SE 4: ETCD HIGH with ELEMENT 'Zanomaline 54 mg', while TE names HIGH 'Zanomaline 81 mg': "
        "CORE compares ETCD alone, P21 SD1012 the ETCD/ELEMENT pair, as SD-SE-TE does",
        flagged=records("SE", 4),
    ),
    ("CORE-000206", "positive-02"): Judged(
        "SUPPLB 1 gives IDVAR LBSEQ with no IDVARVAL (CORE-000135), SUPPLB 2 no IDVAR for "
        "RDOMAIN LB (CORE-000134): errors SD-SUPP-PARENT also stands for",
        flagged=records("SUPPLB", 1, 2),
    ),
    ("CORE-000218", "positive-01"): Judged(
        "SUPPEC 1-2 give no IDVAR for RDOMAIN EC (CORE-000134); SUPPEC 3-4 point at EC, which "
        "the case does not hold (CORE-000457)",
        flagged=records("SUPPEC", 1, 2, 3, 4),
    ),
    ("CORE-000457", "negative-01"): Judged(
        "CORE expects SUPPDM flagged because the case has no DM; the fill-in DM this test "
        "adds (trialguard refuses a transfer without DM) holds it; SUPPEC 1-2 rightly point at "
        "subject CDISC009, who has no EC record",
        flagged=records("SUPPEC", 1, 2),
    ),
    ("CORE-000457", "positive-01"): Judged(
        "ec.csv is an empty file (no header row): trialguard refuses it as unreadable; and "
        "SUPPDM 1-5 qualify CDISC009, who is not in DM",
        flagged=records("SUPPDM", 1, 2, 3, 4, 5),
        unreadable=frozenset({"EC"}),
    ),
    ("CORE-000484", "positive-01"): Judged(
        "RELREC 7-11 give RELTYPE ONE on records with a USUBJID: RELTYPE belongs to "
        "dataset-level relationships only (CORE-000202, P21 SD1026)",
        flagged=records("RELREC", 7, 8, 9, 10, 11),
    ),
    ("CORE-000505", "positive-01"): Judged(
        "TS 2: AGEMAX '99' is no ISO 8601 duration (CORE-000294, P21 SD1215), which "
        "SD-TS-VALFMT also checks; the SSTDTC part agrees with CORE",
        flagged=records("TS", 2),
    ),
    ("CORE-000538", "positive-01"): Judged(
        no_parent("SUPPAE", "AE"),
        flagged=records("SUPPAE", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
    ),
    ("CORE-000538", "positive-03"): Judged(
        no_parent("SUPPLBCH", "LBCH"),
        flagged=records("SUPPLBCH", 1, 2, 3, 4),
    ),
    ("CORE-000542", "negative-01"): Judged(
        "VS has no VSSTRESN variable at all: SD-EXP-VAR names the absent Exp variable once; "
        "per record there is no STRESN to compare (VS 1, 2 not flagged); the other records agree",
        flagged=records("EG", 1, 2, 4)
        | records("FA", 3, 4, 5)
        | records("LB", 2, 3)
        | records("MI", 1),
    ),
    ("CORE-000672", "negative-01"): Judged(
        "LB 2 and 9 have equal limits (2.5 to 2.5, 4.0 to 4.0): P21 SD0028 asks for the upper "
        "limit greater than or equal to the lower one, and so does SD-NRANGE; debatable, CORE asks "
        "for greater",
        flagged=records("LB", 5, 10, 17),
    ),
    ("CORE-000712", "positive-03"): Judged(
        "SUPPDM has no RDOMAIN variable, so RDOMAIN is empty (it is Req), and SUPPLB 1 points "
        "at LBSEQ 320, which LB does not have",
        flagged=records("SUPPDM", 1) | records("SUPPLB", 1),
    ),
    ("CORE-000732", "negative-01"): Judged(
        "EG 3: EGSTRESC '+8' with EGSTRESN 8 is a number equal to its STRESN; CORE's pattern "
        "refuses a plus sign; the other records agree",
        flagged=records("EG", 1, 2, 4, 5) | records("FA", 1, 2, 3),
    ),
    ("CORE-000732", "positive-01"): Judged(
        "FA 2 has FASTRESN '<5' (not a number) beside FASTRESC '111@', FA 3 a FASTRESN "
        "without FASTRESC: both meet CORE-000732's own condition (a STRESN for a STRESC that "
        "is no number)",
        flagged=records("FA", 2, 3),
    ),
    ("CORE-000889", "negative-01"): Judged(
        "LB 2 has equal original limits (1.8 to 1.8): allowed, as for CORE-000672; LB 1 agrees",
        flagged=records("LB", 1),
    ),
    ("CORE-000889", "positive-01"): Judged(
        "LB 3: LBORNRLO '+2' above LBORNRHI '+1' is a reversed range; CORE compares them as text",
        flagged=records("LB", 3),
    ),
}
TRIALGUARD_MISSES: dict[CaseKey, str] = {
    ("CORE-000206", "negative-01"): "CO 1 points at LBGRPID 20: no rule checks CO's pointers yet",
    ("CORE-000218", "negative-02"): "CO 1-2 give IDVARVAL without IDVAR: CO is not checked yet",
    ("CORE-000502", "negative-01"): (
        "CO's RDOMAIN IS names no dataset: CO is not checked yet; RELREC 1 and SUPPLB 1 are "
        "flagged per record (LB is absent), where CORE reports the dataset"
    ),
}


def core_ids_in_scope() -> list[str]:
    """CORE rules of these classes that an sdtm rule cites, and test_core_cases does not run
    (or leaves to this folder, RUN_FROM_SDTMIG)."""
    rules = CASES.rules()
    classes = sorted(
        core_id
        for core_id in CASES.citing_rules()
        if CLASSES & set(rules[core_id]["scope_classes"]) and core_id not in DM_EX_AE.rules()
    )
    return sorted({*classes, *(set(RUN_FROM_SDTMIG) & set(rules))})


def cases_in_scope() -> list[CaseKey]:
    return CASES.cases(core_ids_in_scope())


@pytest.mark.parametrize(
    ("core_id", "case"), [case_param(key, TRIALGUARD_MISSES) for key in cases_in_scope()]
)
def test_core_case(core_id: str, case: str) -> None:
    CASES.check(core_id, case, CORE_IS_WRONG.get((core_id, case)))


def test_judged_cases_are_in_scope() -> None:
    """Every judged case is a case that runs, judged one way only."""
    check_judged_in_scope(set(cases_in_scope()), CORE_IS_WRONG, TRIALGUARD_MISSES)
