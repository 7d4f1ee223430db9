"""Running one of CDISC CORE's rule test cases through trialguard and comparing with CORE.

A CORE rule is tested when a rule of the bundled sdtm spec cites its id in `source:`; those
rules "stand for" it.  Each case of such a CORE rule proves one of:

- negative case: every record CORE flags is flagged by a citing rule, on the same dataset and
  record (or, for a dataset-level result, at dataset level) and naming one of CORE's variables;
- positive case: every file is read and no citing rule flags the CORE rule's variables.

Where CORE's own expectation is wrong (judged by reading the case data) the case is judged
(`Judged`), and the records trialguard must flag instead are asserted.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import pytest

import trialguard
from trialguard.errors import InputError, UsageError
from trialguard.findings import Finding
from trialguard.sdtm.naming import variable_prefix
from trialguard.spec.loader import load_spec

CaseKey = tuple[str, str]  # (CORE id, case folder), e.g. ("CORE-000138", "negative-01")


class Judged(NamedTuple):
    """What trialguard rightly does where CORE's expectation is wrong."""

    why: str
    flagged: frozenset[tuple[str, int | None]] = frozenset()  # (dataset, record), no others
    unreadable: frozenset[str] = frozenset()  # datasets trialguard rightly refuses to read


@dataclass(frozen=True)
class CaseRun:
    """What trialguard said about one case, restricted to the rules citing its CORE rule."""

    findings: list[Finding]
    unreadable: frozenset[str]
    refused: str | None = None  # the UsageError / InputError, when trialguard refused the data


@cache
def sdtm_spec():
    return load_spec("sdtm")


def cited_core_ids(source: str, known: list[str]) -> set[str]:
    """The CORE ids a `source:` cites; "CORE-000195 to CORE-000198" covers the known ids between."""
    cited: set[str] = set()
    for first, last in re.findall(r"(CORE-\d{6})(?:\s+to\s+(CORE-\d{6}))?", source):
        if last:
            cited |= {i for i in known if i.startswith("CORE-") and first <= i <= last}
        else:
            cited.add(first)
    return cited


class CaseFolder:
    """One folder of CORE cases (`cases/` or `cases-sdtmig/`) and its rules.json."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @cache  # noqa: B019  (one instance per folder, for the whole run)
    def rules(self) -> dict[str, dict[str, Any]]:
        """rules.json's rules by CORE id (empty when the cases are absent)."""
        if not self.root.is_dir():
            return {}
        listed = json.loads((self.root / "rules.json").read_text())["rules"]
        return {rule["id"]: rule for rule in listed}

    @cache  # noqa: B019
    def citing_rules(self) -> dict[str, frozenset[str]]:
        """CORE id -> the sdtm rules citing it, for the CORE rules that have cases here."""
        known = sorted(self.rules())
        citing: dict[str, set[str]] = {}
        for loaded in sdtm_spec().rules:
            for core_id in cited_core_ids(loaded.rule.source or "", known):
                citing.setdefault(core_id, set()).add(loaded.rule.id)
        return {core_id: frozenset(ids) for core_id, ids in citing.items() if core_id in known}

    def cases(self, core_ids) -> list[CaseKey]:
        """The cases of `core_ids` that rules.json does not exclude."""
        return [
            (core_id, case)
            for core_id in sorted(core_ids)
            for case in self.rules()[core_id]["cases"]
            if case not in excluded(self.rules()[core_id])
        ]

    def case_json(self, core_id: str, case: str) -> dict[str, Any]:
        return json.loads((self.root / core_id / case / "case.json").read_text())

    def run(self, core_id: str, case: str) -> CaseRun:
        rule_ids = self.citing_rules()[core_id]
        folder = self.root / core_id / case
        paths = [folder / "data"] + ([folder / "fillin"] if (folder / "fillin").is_dir() else [])
        ig = case_ig(self.case_json(core_id, case))
        try:
            report = trialguard.validate(paths, sdtm_spec(), ig=ig, select=sorted(rule_ids))
        except (UsageError, InputError) as error:
            return CaseRun([], frozenset(), refused=f"{type(error).__name__}: {error}")
        findings = [f for f in report.findings() if f.rule_id in rule_ids]
        return CaseRun(findings, frozenset(u.dataset for u in report.unreadable))

    def dm_subjects(self, core_id: str, case: str) -> dict[int, str]:
        """DM record number -> USUBJID (CORE puts subject-level results on the DM record)."""
        path = self.root / core_id / case / "data" / "dm.csv"
        if not path.is_file():
            return {}
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return {n: row.get("USUBJID", "") for n, row in enumerate(csv.DictReader(handle), 1)}

    def check(self, core_id: str, case: str, judged: Judged | None) -> None:
        """The case's assertion: judged, negative or positive."""
        run = self.run(core_id, case)
        assert run.refused is None, run.refused
        rule = self.rules()[core_id]
        if judged is not None:
            check_judged(run, rule, judged)
        elif self.case_json(core_id, case)["kind"] == "negative":
            expected = self.case_json(core_id, case)["expected"]
            assert expected, "a negative case expects findings"
            missed = unmatched(run, expected, rule, self.dm_subjects(core_id, case))
            cited = sorted(self.citing_rules()[core_id])
            assert not missed, f"CORE flags these, {cited} do not: {missed}"
        else:
            check_positive(run, rule)


def excluded(rule: dict[str, Any]) -> set[str]:
    """rules.json names excluded cases "negative/02"; the folders are "negative-02"."""
    return {entry["case"].replace("/", "-") for entry in rule["excluded_cases"]}


def case_ig(case: dict[str, Any]) -> str:
    """The case's SDTMIG version ("3-3" in its .env, or "sdtmig"), 3.4 when it names another."""
    named = case.get("sdtmig") or case.get("env", {}).get("VERSION", "")
    version = str(named).replace("-", ".")
    return version if version in ("3.2", "3.3", "3.4") else "3.4"


# --- comparing with CORE ----------------------------------------------------------------------


def involved(finding: Finding) -> set[str]:
    """The variables a finding names, with another dataset's ("DM.DTHFL") unqualified."""
    return set(finding.variables) | {key.split(".", 1)[1] for key in finding.values if "." in key}


def rule_variables(rule: dict[str, Any]) -> set[str]:
    """The CORE rule's variables (`variables` in cases/, `flagged_variables` in cases-sdtmig)."""
    return set(rule.get("variables") or rule.get("flagged_variables") or [])


def wanted_variables(entry: dict[str, Any], rule: dict[str, Any]) -> set[str]:
    """CORE's variables of a result; the rule's own when CORE names only others (USUBJID)."""
    named = set(entry["variables"])
    return named if named & rule_variables(rule) else rule_variables(rule)


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
    if not involved(finding) & expand_prefix(wanted_variables(entry, rule), finding.domain):
        return False
    same_record = finding.domain == entry["dataset"] and finding.record == entry["record"]
    return same_record or on_subject(finding, entry, subjects)


def expand_prefix(variables: set[str], domain: str | None) -> set[str]:
    """CORE names class-wide variables as `--ORRES`: in LB that is LBORRES."""
    prefix = variable_prefix(domain or "")
    return {f"{prefix}{v[2:]}" if v.startswith("--") else v for v in variables}


def unmatched(run: CaseRun, expected: list[dict], rule, subjects) -> list[dict]:
    """CORE's expected results no finding of a citing rule matches."""
    return [e for e in expected if not any(matches(f, e, rule, subjects) for f in run.findings)]


def rule_variable_flags(run: CaseRun, rule: dict[str, Any]) -> list[Finding]:
    """Findings of the citing rules that name one of the CORE rule's variables."""
    return [f for f in run.findings if involved(f) & expand_prefix(rule_variables(rule), f.domain)]


def describe(findings: list[Finding]) -> list[tuple]:
    return [(f.rule_id, f.domain, f.record, f.variables, f.values) for f in findings]


def check_positive(run: CaseRun, rule: dict[str, Any]) -> None:
    assert not run.unreadable, f"trialguard could not read {sorted(run.unreadable)}"
    flags = rule_variable_flags(run, rule)
    assert not flags, f"CORE expects no finding; trialguard: {describe(flags)}"


def check_judged(run: CaseRun, rule: dict[str, Any], judged: Judged) -> None:
    assert run.unreadable == judged.unreadable, f"unreadable {sorted(run.unreadable)}"
    flags = rule_variable_flags(run, rule)
    flagged = {(f.domain, f.record) for f in flags}
    assert flagged == judged.flagged, f"{judged.why}; trialguard: {describe(flags)}"


def case_param(key: CaseKey, misses: dict[CaseKey, str]):
    """A case as a test parameter; one trialguard misses is a strict xfail, so a fix shows."""
    core_id, case = key
    marks = []
    if key in misses:
        marks.append(pytest.mark.xfail(strict=True, raises=AssertionError, reason=misses[key]))
    return pytest.param(core_id, case, id=f"{core_id}-{case}", marks=marks)


def check_judged_in_scope(
    in_scope: set[CaseKey], wrong: dict[CaseKey, Judged], misses: dict[CaseKey, str]
) -> None:
    """Every judged case is a case that runs, judged one way only."""
    assert set(wrong) <= in_scope, set(wrong) - in_scope
    assert set(misses) <= in_scope, set(misses) - in_scope
    assert not set(wrong) & set(misses)


def records(dataset: str, *numbers: int) -> frozenset[tuple[str, int | None]]:
    """(dataset, record) of each record number, for a Judged's `flagged`."""
    return frozenset((dataset, n) for n in numbers)
