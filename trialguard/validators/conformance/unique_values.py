"""A combination of variables is unique in a dataset (e.g. SUBJID within the study).

Params: dataset, variables.  Records with an empty value in any of the variables are
left out.  A finding is every record of a repeated combination.  Reference: SDTMIG 3.4
DM (SUBJID: unique within the study); CORE-000186.
"""

from __future__ import annotations

from pydantic import Field

from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select


class Params(NoParams):
    dataset: str = Field(min_length=1)
    variables: list[str] = Field(min_length=1)


@register("unique_values", params=Params, message="{combination} repeated in {dataset}")
def check_unique_values(context: StudyContext, params: Params) -> Outcome:
    """A combination of variables is unique."""
    frame = context.require_columns(params.dataset, *params.variables)
    keys = frame[params.variables].astype("string")
    filled = keys.notna().all(axis=1)
    repeated = filled & keys.where(filled).duplicated(keep=False)
    joined = " + ".join(params.variables)
    return Outcome().add(
        select(
            params.dataset,
            frame,
            repeated,
            params.variables,
            None,
            combination=joined,
            dataset=params.dataset,
        )
    )
