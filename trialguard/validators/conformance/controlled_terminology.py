"""Coded variables (SEX, AGEU, RACE, ETHNIC, NY flags, AETOXGR, EXROUTE, ...) use CDISC terms.

Params: extensible, whether this rule covers the extensible codelists (UNIT,
ROUTE, FRM, FREQ, ARMNULRS: an unknown term may be a sponsor extension, to be
declared in the spec's terminology.sponsor_terms) or the closed ones; against,
which terms an extensible codelist is held to: `full_release` runs only with a
CT release given (--ct), `bundled_subset` only without one (the bundled common
terms: an unknown term there may be a valid term of the study's release), `any`
either way.  A finding is a record with a value outside its codelist.
Reference: CDISC CT (the release the report names); SDTMIG variable metadata.
"""

from typing import Literal

from trialguard.validators.conformance.findings import conformance_outcome
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import NotApplicable, Outcome
from trialguard.validators.registry import NoParams, register


class Params(NoParams):
    extensible: bool = False
    against: Literal["any", "full_release", "bundled_subset"] = "any"


@register(
    "controlled_terminology",
    params=Params,
    message="{variable} value '{value}' is not a term of codelist {codelist} ({release})",
)
def check_controlled_terminology(context: StudyContext, params: Params) -> Outcome:
    """Coded variables use controlled terminology."""
    release = context.standards.ct
    if params.against == "full_release" and release.bundled:
        raise NotApplicable(
            "no CT release given (--ct): the bundled lists hold only the common terms of "
            "extensible codelists"
        )
    if params.against == "bundled_subset" and not release.bundled:
        raise NotApplicable(f"a full CT release was given ({release.title})")

    def of_kind(name, rows):
        codelists = rows["check"].str.removeprefix("ct:")
        return codelists.map(lambda c: release.codelist(c).extensible) == params.extensible

    outcome = conformance_outcome(context, "ct", keep=of_kind)
    for hits in outcome.hits:
        hits.context["release"] = release.title
    return outcome
