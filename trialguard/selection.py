"""Which rules run: --select / --ignore (rule id, id prefix such as SD-, or category),
`enabled: false` in a spec, and which rules may stay not run (optional, --allow-not-run)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from trialguard.errors import UsageError
from trialguard.options import rule_tokens
from trialguard.spec.loader import LoadedRule, Spec


@dataclass(frozen=True)
class RuleSelection:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    allow_not_run: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        select: Iterable[str] = (),
        ignore: Iterable[str] = (),
        allow_not_run: Iterable[str] = (),
    ) -> RuleSelection:
        return cls(rule_tokens(select), rule_tokens(ignore), rule_tokens(allow_not_run))

    def check_against(self, spec: Spec) -> None:
        """Every token names at least one rule of the spec: a typo must not pass silently."""
        for option, tokens in (
            ("--select", self.select),
            ("--ignore", self.ignore),
            ("--allow-not-run", self.allow_not_run),
        ):
            for token in tokens:
                if not any(matches(token, rule) for rule in spec.rules):
                    raise UsageError(
                        f"{option} {token}: no rule of spec {spec.id} has that id, id prefix "
                        "or category (`trialguard rules --spec ...` lists them)"
                    )

    def skip_reason(self, rule: LoadedRule) -> str | None:
        """Why the rule is not run at all, or None when it runs."""
        if not rule.rule.enabled:
            return "disabled in the spec (enabled: false)"
        if self.select and not any(matches(t, rule) for t in self.select):
            return f"not selected (--select {' '.join(self.select)})"
        ignored = [t for t in self.ignore if matches(t, rule)]
        if ignored:
            return f"deselected (--ignore {ignored[0]})"
        return None

    def excuse(self, rule: LoadedRule) -> str | None:
        """Why this rule may stay not run without making the verdict incomplete."""
        if rule.rule.optional:
            return "optional in the spec"
        if any(matches(t, rule) for t in self.allow_not_run):
            return "allowed with --allow-not-run"
        return None


def matches(token: str, rule: LoadedRule) -> bool:
    """A rule id (any case), an id prefix (ending in '-' or '*'), or a category name."""
    wanted = token.strip().upper()
    rule_id = rule.rule.id.upper()
    if wanted.endswith("*"):
        return rule_id.startswith(wanted[:-1])
    if wanted.endswith("-"):
        return rule_id.startswith(wanted)
    if wanted in (alias.upper() for alias in rule.aliases):
        return True
    return wanted == rule_id or wanted == rule.check.category.upper()
