"""A CDISC Open Rule run as a rule of the spec: its findings per dataset in its Scope."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from trialguard.openrules.engine import NotExecutable, run_open_rule
from trialguard.openrules.model import OpenRule, RuleProblem
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Hits, NotApplicable, NotRun, Outcome
from trialguard.validators.registry import register

MESSAGE = "{message}"


class Params(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    open_rule: OpenRule | None = Field(default=None, exclude=True)
    not_loaded: str | None = Field(default=None, exclude=True)  # why it could not be read


@register("open_rule", params=Params, message=MESSAGE)
def check_open_rule(context: StudyContext, params: Params) -> Outcome:
    """A CDISC Open Rule (CORE) of the folder given with --open-rules holds."""
    if params.open_rule is None:
        raise NotRun(params.not_loaded or "the rule could not be read")
    rule = params.open_rule
    try:
        run = run_open_rule(rule, context)
    except NotExecutable as reason:
        raise NotRun(str(reason)) from reason
    except RuleProblem as problem:
        raise NotRun(f"{rule.path}: {problem}") from problem
    if not run.in_scope:
        raise NotApplicable("no dataset of the study is in the rule's scope")
    if not run.results:
        raise NotApplicable(unchecked(run.skipped))
    outcome = Outcome()
    context_fields = {"message": rule.message}
    for result in run.results:
        rows = result.rows  # a finding about a dataset is no subject's
        rows = rows.drop(columns="USUBJID") if result.dataset_level and "USUBJID" in rows else rows
        outcome.add(
            Hits(
                result.dataset,
                rows,
                list(result.variables),
                context=context_fields,
                dataset_level=result.dataset_level,
            )
        )
    for dataset, why in run.skipped:
        outcome.notes.append(f"{dataset} not checked: {why}")
    return outcome


def unchecked(skipped: tuple[tuple[str, str], ...]) -> str:
    """Why no dataset in scope was checked: each one's reason, the first three named."""
    shown = "; ".join(why for _, why in skipped[:3])
    more = f"; and {len(skipped) - 3} more datasets" if len(skipped) > 3 else ""
    return f"no dataset in the rule's scope has what it reads ({shown}{more})"
