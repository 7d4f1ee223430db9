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

import csv
import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

import pytest
from conftest import EXTERNAL

import trialguard
from trialguard.errors import InputError, UsageError
from trialguard.findings import Finding
from trialguard.spec.loader import load_spec

CASES = EXTERNAL / "core-open-rules" / "cases"
pytestmark = pytest.mark.skipif(not CASES.is_dir(), reason=f"{CASES} is absent")

# CORE rules of rules.json that no sdtm rule cites: out of trialguard's kinds, not tested.
# A change (a new citation, a new CORE rule) changes this count and must be looked at.
OUT_OF_SCOPE_COUNT = 40

CaseKey = tuple[str, str]  # (CORE id, case folder), e.g. ("CORE-000138", "negative-01")


class Judged(NamedTuple):
    """What trialguard rightly does where CORE's expectation is wrong."""

    why: str
    flagged: frozenset[tuple[str, int | None]] = frozenset()  # (dataset, record), no others
    unreadable: frozenset[str] = frozenset()  # datasets trialguard rightly refuses to read


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


# --- the CORE rules, their cases and the sdtm rules that cite them --------------------------


@cache
def core_rules() -> dict[str, dict[str, Any]]:
    """rules.json's rules by CORE id (empty when the cases are absent)."""
    if not CASES.is_dir():
        return {}
    return {rule["id"]: rule for rule in json.loads((CASES / "rules.json").read_text())["rules"]}


def cited_core_ids(source: str, known: list[str]) -> set[str]:
    """The CORE ids a `source:` cites; "CORE-000195 to CORE-000198" covers the known ids between."""
    cited: set[str] = set()
    for first, last in re.findall(r"(CORE-\d{6})(?:\s+to\s+(CORE-\d{6}))?", source):
        if last:
            cited |= {i for i in known if i.startswith("CORE-") and first <= i <= last}
        else:
            cited.add(first)
    return cited


@cache
def sdtm_spec():
    return load_spec("sdtm")


@cache
def citing_rules() -> dict[str, frozenset[str]]:
    """CORE id -> the sdtm rules citing it, for the CORE rules that have cases."""
    known = sorted(core_rules())
    citing: dict[str, set[str]] = {}
    for loaded in sdtm_spec().rules:
        for core_id in cited_core_ids(loaded.rule.source or "", known):
            citing.setdefault(core_id, set()).add(loaded.rule.id)
    return {core_id: frozenset(ids) for core_id, ids in citing.items() if core_id in known}


def excluded(rule: dict[str, Any]) -> set[str]:
    """rules.json names excluded cases "negative/02"; the folders are "negative-02"."""
    return {entry["case"].replace("/", "-") for entry in rule["excluded_cases"]}


def cases_in_scope() -> list[CaseKey]:
    return [
        (core_id, case)
        for core_id in sorted(citing_rules())
        for case in core_rules()[core_id]["cases"]
        if case not in excluded(core_rules()[core_id])
    ]


def case_param(key: CaseKey):
    core_id, case = key
    marks = []
    if key in TRIALGUARD_MISSES:
        reason = TRIALGUARD_MISSES[key]
        marks.append(pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason))
    return pytest.param(core_id, case, id=f"{core_id}-{case}", marks=marks)


# --- running a case -------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseRun:
    """What trialguard said about one case, restricted to the rules citing its CORE rule."""

    findings: list[Finding]
    unreadable: frozenset[str]
    refused: str | None = None  # the UsageError / InputError, when trialguard refused the data


def case_json(core_id: str, case: str) -> dict[str, Any]:
    return json.loads((CASES / core_id / case / "case.json").read_text())


def case_ig(case: dict[str, Any]) -> str:
    """The case's SDTMIG version ("3-3" in its .env), 3.4 when it names another."""
    version = str(case["env"].get("VERSION", "")).replace("-", ".")
    return version if version in ("3.3", "3.4") else "3.4"


def run_case(core_id: str, case: str) -> CaseRun:
    rule_ids = citing_rules()[core_id]
    data = CASES / core_id / case / "data"
    try:
        report = trialguard.validate(
            data, sdtm_spec(), ig=case_ig(case_json(core_id, case)), select=sorted(rule_ids)
        )
    except (UsageError, InputError) as error:
        return CaseRun([], frozenset(), refused=f"{type(error).__name__}: {error}")
    findings = [f for f in report.findings() if f.rule_id in rule_ids]
    return CaseRun(findings, frozenset(u.dataset for u in report.unreadable))


def dm_subjects(core_id: str, case: str) -> dict[int, str]:
    """DM record number -> USUBJID (CORE puts subject-level results on the DM record)."""
    path = CASES / core_id / case / "data" / "dm.csv"
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return {n: row.get("USUBJID", "") for n, row in enumerate(csv.DictReader(handle), 1)}


# --- comparing with CORE ----------------------------------------------------------------------


def involved(finding: Finding) -> set[str]:
    """The variables a finding names, with another dataset's ("DM.DTHFL") unqualified."""
    return set(finding.variables) | {key.split(".", 1)[1] for key in finding.values if "." in key}


def wanted_variables(entry: dict[str, Any], rule: dict[str, Any]) -> set[str]:
    """CORE's variables of a result; the rule's own when CORE names only others (USUBJID)."""
    named = set(entry["variables"])
    return named if named & set(rule["variables"]) else set(rule["variables"])


def on_subject(finding: Finding, entry: dict[str, Any], subjects: dict[int, str]) -> bool:
    """CORE flags a subject's DM record, trialguard the other dataset's record naming DM.X."""
    return (
        entry["dataset"] == "DM"
        and finding.domain != "DM"
        and finding.usubjid is not None
        and subjects.get(entry["record"]) == finding.usubjid
        and any(key.startswith("DM.") for key in finding.values)
    )


def matches(finding: Finding, entry, rule, subjects: dict[int, str]) -> bool:
    if not involved(finding) & wanted_variables(entry, rule):
        return False
    same_record = finding.domain == entry["dataset"] and finding.record == entry["record"]
    return same_record or on_subject(finding, entry, subjects)


def unmatched(run: CaseRun, expected: list[dict], rule, subjects) -> list[dict]:
    """CORE's expected results no finding of a citing rule matches."""
    return [e for e in expected if not any(matches(f, e, rule, subjects) for f in run.findings)]


def rule_variable_flags(run: CaseRun, rule: dict[str, Any]) -> list[Finding]:
    """Findings of the citing rules that name one of the CORE rule's variables."""
    return [f for f in run.findings if involved(f) & set(rule["variables"])]


def describe(findings: list[Finding]) -> list[tuple]:
    return [(f.rule_id, f.domain, f.record, f.variables, f.values) for f in findings]


# --- the tests ----------------------------------------------------------------------------------


def check_negative(run: CaseRun, core_id: str, case: str) -> None:
    rule = core_rules()[core_id]
    expected = case_json(core_id, case)["expected"]
    assert expected, "a negative case expects findings"
    missed = unmatched(run, expected, rule, dm_subjects(core_id, case))
    assert not missed, f"CORE flags these, {sorted(citing_rules()[core_id])} do not: {missed}"


def check_positive(run: CaseRun, core_id: str) -> None:
    assert not run.unreadable, f"trialguard could not read {sorted(run.unreadable)}"
    flags = rule_variable_flags(run, core_rules()[core_id])
    assert not flags, f"CORE expects no finding; trialguard: {describe(flags)}"


def check_judged(run: CaseRun, core_id: str, judged: Judged) -> None:
    assert run.unreadable == judged.unreadable, f"unreadable {sorted(run.unreadable)}"
    flags = rule_variable_flags(run, core_rules()[core_id])
    flagged = {(f.domain, f.record) for f in flags}
    assert flagged == judged.flagged, f"{judged.why}; trialguard: {describe(flags)}"


@pytest.mark.parametrize(("core_id", "case"), [case_param(key) for key in cases_in_scope()])
def test_core_case(core_id: str, case: str) -> None:
    run = run_case(core_id, case)
    assert run.refused is None, run.refused
    judged = CORE_IS_WRONG.get((core_id, case))
    if judged is not None:
        check_judged(run, core_id, judged)
    elif case_json(core_id, case)["kind"] == "negative":
        check_negative(run, core_id, case)
    else:
        check_positive(run, core_id)


def test_out_of_scope_count() -> None:
    """CORE rules no sdtm rule cites are not tested; their number is pinned."""
    uncited = sorted(set(core_rules()) - set(citing_rules()))
    print(f"{len(citing_rules())} CORE rules in scope, {len(uncited)} out of scope")
    assert len(uncited) == OUT_OF_SCOPE_COUNT, uncited


def test_judged_cases_are_in_scope() -> None:
    """Every judged case is a case that runs, judged one way only."""
    in_scope = set(cases_in_scope())
    assert set(CORE_IS_WRONG) <= in_scope, set(CORE_IS_WRONG) - in_scope
    assert set(TRIALGUARD_MISSES) <= in_scope, set(TRIALGUARD_MISSES) - in_scope
    assert not set(CORE_IS_WRONG) & set(TRIALGUARD_MISSES)
