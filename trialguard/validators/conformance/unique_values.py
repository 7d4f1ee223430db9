"""A combination of variables is unique in a dataset (e.g. SUBJID within the study).

Params: dataset, variables, differing_case.  Records with an empty value in any of the
variables are left out.  A finding is every record of a repeated combination; with
`differing_case`, every record whose combination equals another's but for upper and lower case
(USUBJID "ab-101-001" beside "AB-101-001": one subject or two?), exact repeats being left to
the key rules.  Reference: SDTMIG 3.4 DM (SUBJID: unique within the study; USUBJID identifies
one subject); CORE-000186.
"""

from __future__ import annotations

import pandas as pd
from pydantic import Field

from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select
from trialguard.validators.wording import escaped, key_values


class Params(NoParams):
    dataset: str = Field(min_length=1)
    variables: list[str] = Field(min_length=1)
    differing_case: bool = False


@register("unique_values", params=Params, message="{combination} repeated in {dataset}")
def check_unique_values(context: StudyContext, params: Params) -> Outcome:
    """A combination of variables is unique."""
    frame = context.require_columns(params.dataset, *params.variables)
    keys = frame[params.variables].astype("string")
    filled = keys.notna().all(axis=1)
    repeated = filled & (
        _case_variants(keys) if params.differing_case else keys.duplicated(keep=False)
    )
    joined = " + ".join(params.variables)
    case = " (equal but for case)" if params.differing_case else ""
    hits = select(
        params.dataset,
        frame,
        repeated,
        params.variables,
        None,
        combination=joined + case,
        dataset=params.dataset,
    )
    said = key_values(frame, params.variables)
    hits.message = f"{said} is repeated in {escaped(params.dataset)}{case}"
    return Outcome().add(hits)


def _case_variants(keys: pd.DataFrame) -> pd.Series:
    """Records whose values equal another record's when case is ignored, and differ as written."""
    exact = keys.iloc[:, 0]
    for column in keys.columns[1:]:
        exact = exact + "\u0001" + keys[column]
    variants = exact.groupby(exact.str.upper()).transform("nunique")
    return variants.reindex(keys.index).gt(1).fillna(False).astype(bool)
