"""CDISC CORE's own rule test cases, run through trialguard.

The CDISC Open Rules ship a positive and a negative test case for each rule; the ones for DM,
EX and AE in SDTMIG 3.3/3.4 are in core-open-rules/cases (see the external README).  A CORE
rule is tested when a rule of the bundled sdtm spec cites its id in `source:`; those rules
"stand for" it.  Each case of such a CORE rule proves one of:

- negative case: every record CORE flags is flagged by a citing rule, on the same dataset and
  record (or, for a dataset-level result, at dataset level) and naming one of CORE's variables;
- positive case: every file is read and no citing rule flags the CORE rule's variables.

Where CORE's own expectation is wrong (judged by reading the case data) the case is in
CORE_IS_WRONG, and the records trialguard must flag instead are asserted.  Where trialguard is
wrong or lacks the check, the case is in TRIALGUARD_MISSES: a strict xfail, so a fix is noticed.
"""

from __future__ import annotations

import pytest
from conftest import EXTERNAL
from core_harness import CaseFolder, CaseKey, Judged, case_param, check_judged_in_scope

CASES = CaseFolder(EXTERNAL / "core-open-rules" / "cases")
pytestmark = pytest.mark.skipif(not CASES.root.is_dir(), reason=f"{CASES.root} is absent")

# CORE rules of rules.json that no sdtm rule cites: out of trialguard's kinds, not tested.
# A change (a new citation, a new CORE rule) changes this count and must be looked at.
OUT_OF_SCOPE_COUNT = 39
# CORE rules whose cases here lost a dataset the rule reads (this folder keeps DM, EX and AE):
# they run from cases-sdtmig, which holds the whole case (test_core_cases_sdtmig.py).
RUN_FROM_SDTMIG = {"CORE-000271": "EPOCH against TA.EPOCH: the cases here hold no TA"}

CORE_IS_WRONG: dict[CaseKey, Judged] = {
    ("CORE-000103", "positive-01"): Judged(
        "ex.csv's record 1 has 7 fields under an 8-column header (EXSCAT missing): a ragged "
        "file that trialguard refuses to read rather than passing it clean; AE is checked",
        unreadable=frozenset({"EX"}),
    ),
    ("CORE-000122", "positive-02"): Judged(
        "DM record 4 has AGE=50 and AGEU null: the AGE-without-AGEU error of CORE-000189, "
        "which SD-AGEU also stands for; the case is clean only for CORE-000122's own condition",
        flagged=frozenset({("DM", 4)}),
    ),
    ("CORE-000125", "positive-01"): Judged(
        "ae.csv's header ends in ',,' (columns 25 and 26 have no name): a malformed dataset "
        "that trialguard refuses to read (report incomplete) rather than passing it clean",
        unreadable=frozenset({"AE"}),
    ),
    ("CORE-000138", "positive-01"): Judged(
        "AE record 2 has AESTDY=-1 for AESTDTC 2005-10-12 and RFSTDTC 2022-03-20: the study "
        "day is -6003; the case is clean only for CORE-000138's partial-date condition",
        flagged=frozenset({("AE", 2)}),
    ),
    ("CORE-000184", "negative-02"): Judged(
        "CORE counts null as a value of the pair: AE record 6 (Vascular disorders, 10047065) "
        "is flagged only because record 7 has that code with AEBODSYS null, and records 4 and "
        "7 lack one of the pair (a missing value, CORE-000024), not a second mapping; the real "
        "one-to-one break is Nervous system disorders = 10029205 (records 2, 5) and 10029206 (3)",
        flagged=frozenset({("AE", 2), ("AE", 3), ("AE", 5)}),
    ),
    ("CORE-000268", "negative-02"): Judged(
        "CORE counts null as a value of the pair: AE record 6 (Hypertension, 10020772) is "
        "flagged only because record 7 has that code with AEDECOD null, and records 4 and 7 "
        "lack one of the pair (a missing value, CORE-000267); the real one-to-one break is "
        "Headache = 10019211 (records 2, 5) and 10019212 (record 3)",
        flagged=frozenset({("AE", 2), ("AE", 3), ("AE", 5)}),
    ),
    ("CORE-000711", "negative-01"): Judged(
        "DM record 2 has RFSTDTC 2018-11-06T12:00 and RFENDTC 2018-11-06, the same day with no "
        "end time: CORE compares the strings; records 1 and 3 are real (3: 2006-03 is after "
        "2006-01-16)",
        flagged=frozenset({("DM", 1), ("DM", 3)}),
    ),
    ("CORE-000714", "negative-01"): Judged(
        "DM record 6 has RFXSTDTC 2018-04-17 and the partial RFXENDTC 2018-04, which may be "
        "later in April: CORE compares the strings; records 1 and 3 are real",
        flagged=frozenset({("DM", 1), ("DM", 3)}),
    ),
    ("CORE-000853", "positive-01"): Judged(
        "DM record 1 has DMDY=2 for DMDTC 2011-11-23 and RFSTDTC 2012-11-30: the study day "
        "is -373; the case is clean only for CORE-000853's populated-day condition",
        flagged=frozenset({("DM", 1)}),
    ),
}

# Cases where trialguard disagrees with CORE and CORE is right: each is a strict xfail, so a
# fix is noticed.  (None left: the twelve found first were fixed in the checks.)
TRIALGUARD_MISSES: dict[CaseKey, str] = {}


def cases_in_scope() -> list[CaseKey]:
    return CASES.cases(set(CASES.citing_rules()) - set(RUN_FROM_SDTMIG))


@pytest.mark.parametrize(
    ("core_id", "case"), [case_param(key, TRIALGUARD_MISSES) for key in cases_in_scope()]
)
def test_core_case(core_id: str, case: str) -> None:
    CASES.check(core_id, case, CORE_IS_WRONG.get((core_id, case)))


def test_out_of_scope_count() -> None:
    """CORE rules no sdtm rule cites are not tested; their number is pinned."""
    uncited = sorted(set(CASES.rules()) - set(CASES.citing_rules()))
    print(f"{len(CASES.citing_rules())} CORE rules in scope, {len(uncited)} out of scope")
    assert len(uncited) == OUT_OF_SCOPE_COUNT, uncited


def test_judged_cases_are_in_scope() -> None:
    """Every judged case is a case that runs, judged one way only."""
    check_judged_in_scope(set(cases_in_scope()), CORE_IS_WRONG, TRIALGUARD_MISSES)
