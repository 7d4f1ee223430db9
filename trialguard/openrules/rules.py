"""The open rules of a folder as rules of a run, beside the spec's: rule id = the CORE id,
the CG/FDA ids of its Authorities as aliases, CDISC's description and message, a severity by
Executability (the spec may set one per rule)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path

from trialguard.findings import Severity
from trialguard.openrules.folder import RuleFolder, Unloaded, read_rule_folder
from trialguard.openrules.model import OpenRule
from trialguard.spec.loader import LoadedRule, Spec
from trialguard.spec.models import Rule
from trialguard.validators.catalogue import check_kind

KIND = "open_rule"


def default_severity(rule: OpenRule) -> Severity:
    """CDISC gives none: error for a fully executable rule, warning where CDISC says the rule
    may over- or under-report."""
    return Severity.ERROR if rule.executability == "Fully Executable" else Severity.WARNING


def with_open_rules(spec: Spec, folder: str | Path | None) -> tuple[Spec, RuleFolder | None]:
    """The spec with one rule per open rule of `folder`, or of the folder the spec pins
    (`open_rules.folder`); neither: the spec as it is."""
    folder = folder if folder is not None else spec.open_rules.folder
    if folder is None:
        return spec, None
    read = read_rule_folder(folder)
    chosen: Mapping[str, str] = spec.open_rules.severity
    taken = {r.rule.id for r in spec.rules}
    rules = [open_rule(r, read, chosen.get(r.id)) for r in read.rules if r.id not in taken]
    rules += [unloaded_rule(u, read) for u in read.unloaded if u.rule_id not in taken]
    return dataclasses.replace(spec, rules=spec.rules + tuple(rules)), read


def open_rule(rule: OpenRule, folder: RuleFolder, severity: str | None = None) -> LoadedRule:
    check = check_kind(KIND)
    assert check is not None
    ids = rule.cited_ids()
    spec_rule = Rule(
        id=rule.id,
        kind=KIND,
        severity=Severity(severity) if severity else default_severity(rule),
        description=rule.description or rule.message,
        source=_source(rule, folder),
        ig=list(rule.ig_versions),
    )
    params = check.params(open_rule=rule)
    return LoadedRule(spec_rule, params, check, f"open rules {folder.path}", aliases=ids)


def unloaded_rule(unloaded: Unloaded, folder: RuleFolder) -> LoadedRule:
    check = check_kind(KIND)
    assert check is not None
    spec_rule = Rule(
        id=_rule_id(unloaded.rule_id),
        kind=KIND,
        severity=Severity.ERROR,
        description=f"{unloaded.path} of the open rules (not readable as a rule)",
        source=f"CDISC Open Rules {folder.path}/{unloaded.path}",
    )
    params = check.params(not_loaded=f"{unloaded.path}: {unloaded.reason}")
    return LoadedRule(spec_rule, params, check, f"open rules {folder.path}")


def _rule_id(text: str) -> str:
    cleaned = "".join(c if c.isalnum() else "-" for c in text.upper()).strip("-")
    return cleaned or "OPEN-RULE"


def _source(rule: OpenRule, folder: RuleFolder) -> str:
    cited = ", ".join(
        f"{c.organization} {c.rule_id} (SDTMIG {c.version})"
        for c in rule.citations
        if c.standard == "SDTMIG"
    )
    return f"CDISC Open Rules {rule.id} ({rule.executability}); {cited}"


def folder_notice(folder: RuleFolder) -> str:
    """What the report says of the rules it ran: the folder, its commit, its SHA-256."""
    commit = f" at git commit {folder.commit[:12]}" if folder.commit else ""
    schema = f", checked against {folder.schema}" if folder.schema else ""
    drafts = f"; {folder.drafts} draft rules not run" if folder.drafts else ""
    unloaded = f"; {len(folder.unloaded)} not readable as rules" if folder.unloaded else ""
    return (
        f"CDISC Open Rules from {folder.path}{commit}: {len(folder.rules)} rules read{schema} "
        f"(SHA-256 {folder.sha256}){drafts}{unloaded}"
    )
