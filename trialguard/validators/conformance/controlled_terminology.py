"""Coded variables (SEX, AGEU, RACE, ETHNIC, NY flags, AETOXGR, EXROUTE, ...) use CDISC terms.

Params: extensible, whether this rule covers the extensible codelists (UNIT,
ROUTE, FRM, FREQ, ARMNULRS: an unknown term may be a sponsor extension, to be
declared in the spec's terminology.sponsor_terms) or the closed ones.  A
finding is a record with a value outside its codelist.  Reference: CDISC CT
2024; SDTMIG 3.4 variable metadata.
"""

from trialguard.sdtm.terminology import CODELISTS
from trialguard.validators.conformance.findings import conformance_outcome
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register


class Params(NoParams):
    extensible: bool = False


@register(
    "controlled_terminology",
    params=Params,
    message="{variable} value '{value}' is not a term of codelist {codelist}",
)
def check_controlled_terminology(context: StudyContext, params: Params) -> Outcome:
    """Coded variables use controlled terminology."""

    def of_kind(name, rows):
        codelists = rows["check"].str.removeprefix("ct:")
        return codelists.map(lambda c: CODELISTS[c].extensible) == params.extensible

    return conformance_outcome(context, "ct", keep=of_kind)
