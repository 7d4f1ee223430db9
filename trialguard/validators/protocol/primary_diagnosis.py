"""Each treated subject has one primary diagnosis, and it is a disease the protocol names.

No params: the diagnosis records and the diseases come from the spec's `protocol.endpoints`
(see `endpoint_records`).  Findings: the DM record of a treated subject (one with a Day 0)
without a diagnosis record; a diagnosis record of a treated subject whose term names none of
the protocol's diseases; the diagnosis records of a treated subject that name two diseases.
Without a known disease no efficacy instrument can be chosen for the subject.
"""

from __future__ import annotations

from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Hits, Outcome
from trialguard.validators.protocol.endpoint_records import (
    diagnoses,
    endpoints_of,
    treated_subjects,
)
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select
from trialguard.validators.wording import escaped


@register("primary_diagnosis", message="{problem}")
def check_primary_diagnosis(context: StudyContext, params: NoParams) -> Outcome:
    """Every treated subject has one diagnosis of a protocol disease."""
    endpoints = endpoints_of(context, instruments=False)
    found = diagnoses(context, endpoints)
    treated = treated_subjects(context)
    dm = context.require_columns("DM", "USUBJID")
    first = ~dm["USUBJID"].duplicated()
    lacking = first & dm["USUBJID"].isin(treated) & ~dm["USUBJID"].isin(found["USUBJID"])
    judged = found["USUBJID"].isin(treated)
    known = found[judged].dropna(subset=["DISEASE"]).drop_duplicates(["USUBJID", "DISEASE"])
    two = known["USUBJID"][known["USUBJID"].duplicated()]
    category = endpoints.disease.category
    diseases = ", ".join(dict.fromkeys(i.disease for i in endpoints.instruments))
    problem = f"a treated subject without an MH record of MHCAT = {category}"
    outcome = Outcome().add(select("DM", dm, lacking, ["USUBJID"], problem=problem))
    kind, named = escaped(category.lower()), escaped(diseases)
    unknown = judged & found["DISEASE"].isna()
    several = judged & found["USUBJID"].isin(two) & found["DISEASE"].notna()
    outcome.add(_diagnoses(context, unknown, NONE_OF.format(kind, named)))
    return outcome.add(_diagnoses(context, several, SEVERAL.format(kind)))


NONE_OF = "the {0} '{{MHTERM}}' is none of the protocol's diseases ({1})"
SEVERAL = "the subject's {0} records name more than one disease; this one is '{{MHTERM}}'"


def _diagnoses(context: StudyContext, mask, message: str) -> Hits:
    """MH records of `mask`, their message naming the record's term (MHTERM)."""
    mh = context.frame("MH")
    shown = ["MHCAT", "MHTERM", *(["MHDECOD"] if "MHDECOD" in mh.columns else [])]
    hits = select("MH", mh, mask, shown)
    hits.message = message
    return hits
