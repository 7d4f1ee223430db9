"""Every Req (or Exp) variable of the study's SDTMIG version is present in its dataset.

Params: core, Req or Exp.  A finding is a dataset lacking such a variable
(record is empty: it is about the whole dataset); a custom domain's Req variables are
STUDYID, DOMAIN, USUBJID, --SEQ and its class's topic variable.  Not run when no dataset
with SDTMIG metadata is supplied.  Reference: SDTMIG 3.4 §4.1.5 (core designations).
"""

from typing import Literal

from trialguard.validators.conformance.domains import Variable, variable
from trialguard.validators.conformance.findings import conformance_outcome
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register


class Params(NoParams):
    core: Literal["Req", "Exp"] = "Req"


@register(
    "required_variables",
    params=Params,
    message="{dataset} lacks the {core} variable {variable}",
)
def check_required_variables(context: StudyContext, params: Params) -> Outcome:
    """Required (Req) or expected (Exp) variables are present."""

    model = context.standards.ig.model

    def of_core(name, rows):
        present = tuple(context.frame(name).columns)
        cores = rows["column"].map(lambda c: _core(variable(name, c, model, present)))
        return cores == params.core

    return conformance_outcome(context, "missing_variable", keep=of_core)


def _core(known: Variable | None) -> str | None:
    return known.core if known else None
