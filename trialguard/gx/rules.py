"""GX suites given with --gx-suite become rules of the run, beside the spec's own.

A rule is one expectation (id `GX-<SUITE>-<n>`, n its place in the file), or every expectation
naming the same `meta.trialguard.rule`, across suites.  Its severity is `meta.trialguard.severity`,
else GX's own (critical: error, warning: warning, info: notice).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from trialguard.errors import UsageError
from trialguard.findings import Severity
from trialguard.spec.loader import LoadedRule, Spec
from trialguard.spec.models import Rule
from trialguard.validators.gx.describe import describe
from trialguard.validators.gx.gx_suite import Member, Params, check_gx_suite
from trialguard.validators.gx.suites import (
    GxSuite,
    dataset_name,
    load_suite,
    parse_suite_option,
)
from trialguard.validators.registry import CheckKind

KIND = "gx_expectation"
# a finding's own message names the record's values and the expectation's bounds (see
# `gx_suite._hits`); this one is the fallback
MESSAGE = "{dataset}: {expectation} is not met{observed}"
GX_CHECK = CheckKind(
    KIND, check_gx_suite, Params, MESSAGE, "Expectations of a GX suite hold", "gx", "study"
)
FROM_GX_SEVERITY = {
    "critical": Severity.ERROR,
    "warning": Severity.WARNING,
    "info": Severity.NOTICE,
}


def with_gx_suites(
    spec: Spec, given: Mapping[str, str | Path] | Iterable[str]
) -> tuple[Spec, list[GxSuite]]:
    """The suites asked for (`{"DM": "dm.json"}` or `["DM=dm.json"]`), read and checked (exit 2
    on a malformed one), and the spec with their rules."""
    if not given:
        return spec, []
    if isinstance(given, Mapping):
        pairs = [(dataset_name(d, f"gx_suites {d!r}"), Path(p)) for d, p in given.items()]
    else:
        texts = [given] if isinstance(given, str) else list(given)
        pairs = [parse_suite_option(text) for text in texts]
    suites = [load_suite(dataset, path) for dataset, path in pairs]
    return with_gx_rules(spec, suites), suites


def with_gx_rules(spec: Spec, suites: list[GxSuite]) -> Spec:
    """The spec with one more rule per GX expectation (or per meta.trialguard.rule)."""
    _refuse_repeats(suites)
    named: dict[str, list[Member]] = {}  # rules named by meta.trialguard.rule: may span suites
    default: dict[str, Member] = {}  # GX-<suite>-<n>: one expectation each
    for suite in suites:
        for position in range(len(suite.expectations)):
            member = Member(suite, position)
            rule_id = suite.trialguard_meta(position).get("rule")
            if rule_id:
                named.setdefault(rule_id, []).append(member)
                continue
            rule_id = default_id(suite, position)
            if rule_id in default:
                raise UsageError(_same_id(rule_id, default[rule_id], member))
            default[rule_id] = member
    for rule_id in sorted(set(named) & set(default)):
        raise UsageError(_same_id(rule_id, default[rule_id], named[rule_id][0]))
    _refuse_spec_ids(spec, named)
    groups = {**{k: [v] for k, v in default.items()}, **named}
    rules = tuple(gx_rule(rule_id, tuple(members)) for rule_id, members in groups.items())
    return dataclasses.replace(spec, rules=spec.rules + rules)


def _refuse_repeats(suites: list[GxSuite]) -> None:
    seen: set[tuple[str, str]] = set()
    for suite in suites:
        key = (suite.dataset, str(suite.path.resolve()))
        if key in seen:
            raise UsageError(f"--gx-suite {suite.dataset}={suite.path} is given twice")
        seen.add(key)


def _same_id(rule_id: str, first: Member, second: Member) -> str:
    return (
        f"{second.suite.path}: {second.label.split(' ', 1)[1]} would be rule {rule_id}, as "
        f"{first.label} for {first.suite.dataset} is: give each suite its own name "
        "(or each expectation its own meta.trialguard.rule)"
    )


def _refuse_spec_ids(spec: Spec, named: dict[str, list[Member]]) -> None:
    clash = sorted(set(named) & {rule.rule.id for rule in spec.rules})
    if clash:
        first = named[clash[0]][0]
        raise UsageError(
            f"{first.suite.path}: {first.label.split(' ', 1)[1]} is rule {clash[0]} "
            f"(meta.trialguard.rule), which spec {spec.id} has too; a rule id names one rule: "
            "run the suite with a spec without that rule, or remove meta.trialguard.rule"
        )


def default_id(suite: GxSuite, position: int) -> str:
    """GX-<suite name in capitals, other characters as '-'>-<place in the file from 1>."""
    name = re.sub(r"[^A-Z0-9]+", "-", suite.name.upper()).strip("-")
    return f"GX-{name or 'SUITE'}-{position + 1}"


def gx_rule(rule_id: str, members: tuple[Member, ...]) -> LoadedRule:
    metas = [m.suite.trialguard_meta(m.position) for m in members]
    severity = max(
        (_severity(m, meta) for m, meta in zip(members, metas, strict=True)), key=lambda s: s.rank
    )
    first = members[0]
    description = (
        metas[0].get("description")
        or first.expectation.get("description")
        or (
            f"GX suite {first.suite.name}: {describe(first.expectation)}"
            + (f" and {len(members) - 1} more" if len(members) > 1 else "")
        )
    )
    places = ", ".join(f"{m.suite.path.name} #{m.position + 1}" for m in members[:5])
    more = f" and {len(members) - 5} more" if len(members) > 5 else ""
    rule = Rule(
        id=rule_id,
        kind=KIND,
        severity=severity,
        description=description,
        source=f"GX suite {first.suite.name}: expectations {places}{more}",
    )
    origin = ", ".join(sorted({str(m.suite.path) for m in members}))
    return LoadedRule(rule, Params(members=members), GX_CHECK, f"GX suite {origin}")


def _severity(member: Member, meta: dict) -> Severity:
    if meta.get("severity"):
        return Severity(meta["severity"])
    return FROM_GX_SEVERITY.get(str(member.expectation.get("severity", "critical")), Severity.ERROR)
