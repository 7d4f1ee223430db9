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
from core_harness import CaseFolder, CaseKey, Judged

CASES = CaseFolder(EXTERNAL / "core-open-rules" / "cases-sdtmig")
DM_EX_AE = CaseFolder(EXTERNAL / "core-open-rules" / "cases")
CLASSES = {"Findings", "Findings About", "Trial Design", "Relationship"}
pytestmark = pytest.mark.skipif(not CASES.root.is_dir(), reason=f"{CASES.root} is absent")

CORE_IS_WRONG: dict[CaseKey, Judged] = {}
TRIALGUARD_MISSES: dict[CaseKey, str] = {}


def core_ids_in_scope() -> list[str]:
    """CORE rules of these classes that an sdtm rule cites, and test_core_cases does not run."""
    rules = CASES.rules()
    return sorted(
        core_id
        for core_id in CASES.citing_rules()
        if CLASSES & set(rules[core_id]["scope_classes"]) and core_id not in DM_EX_AE.rules()
    )


def cases_in_scope() -> list[CaseKey]:
    return CASES.cases(core_ids_in_scope())


def case_param(key: CaseKey):
    core_id, case = key
    marks = []
    if key in TRIALGUARD_MISSES:
        reason = TRIALGUARD_MISSES[key]
        marks.append(pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason))
    return pytest.param(core_id, case, id=f"{core_id}-{case}", marks=marks)


@pytest.mark.parametrize(("core_id", "case"), [case_param(key) for key in cases_in_scope()])
def test_core_case(core_id: str, case: str) -> None:
    CASES.check(core_id, case, CORE_IS_WRONG.get((core_id, case)))


def test_judged_cases_are_in_scope() -> None:
    """Every judged case is a case that runs, judged one way only."""
    in_scope = set(cases_in_scope())
    assert set(CORE_IS_WRONG) <= in_scope, set(CORE_IS_WRONG) - in_scope
    assert set(TRIALGUARD_MISSES) <= in_scope, set(TRIALGUARD_MISSES) - in_scope
    assert not set(CORE_IS_WRONG) & set(TRIALGUARD_MISSES)
