"""Every variable of a dataset is one the SDTM model allows in its domain; sponsor variables
go to SUPP-- unless the spec allows them.

The model's variables are those of the domain's class (Interventions, Events, Findings,
Findings About: identifiers, class variables, timing), DM's own list, or, for the other
special-purpose, trial design and relationship datasets, their SDTMIG variables; a split
dataset is judged as its domain, a custom domain by the class its variables show.

Params: allowed, extra variables per dataset (e.g. `{DL: [DLAESEQ]}`).  A finding is a
dataset holding a variable outside the model (about the whole dataset).  Reference:
SDTMIG 3.4 §2.5 and §4.1.2 (sponsor variables in SUPP--), DM assumption 8; CORE-000550,
CORE-000012, CORE-000013, CORE-000075, CORE-000068 to CORE-000071, CORE-000114.
"""

from __future__ import annotations

import pandas as pd

from trialguard.sdtm.model import model_variables
from trialguard.validators.conformance.findings import supplied_datasets
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Hits, Outcome
from trialguard.validators.registry import NoParams, register


class Params(NoParams):
    allowed: dict[str, list[str]] = {}


@register(
    "model_variables",
    params=Params,
    message="{variable} is not a variable the SDTM model allows in {dataset}; "
    "a sponsor variable belongs in SUPP{dataset}",
)
def check_model_variables(context: StudyContext, params: Params) -> Outcome:
    """Variables belong to their domain's model."""
    outcome = Outcome()
    for name in supplied_datasets(context):
        allowed = model_variables(name, context.frame(name).columns)
        if allowed is None:
            continue
        extra = set(params.allowed.get(name, ()))
        for column in context.frame(name).columns:
            if column not in allowed and column not in extra:
                row = pd.DataFrame({"USUBJID": [None]})
                labels = {"variable": column, "dataset": name}
                outcome.add(Hits(name, row, [column], context=labels, dataset_level=True))
    return outcome
