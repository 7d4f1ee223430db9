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
        why = "; ".join(f"{reason}" for _, reason in run.skipped[:3])
        raise NotApplicable(f"the rule's variables are not in the datasets in scope ({why})")
    outcome = Outcome()
    context_fields = {"message": rule.message}
    for result in run.results:
        outcome.add(
            Hits(
                result.dataset,
                result.rows,
                list(result.variables),
                context=context_fields,
                dataset_level=result.dataset_level,
            )
        )
    for dataset, why in run.skipped:
        outcome.notes.append(f"{dataset} not checked: {why}")
    return outcome
