"""Each treated subject has one primary diagnosis, and it is a disease the protocol names.

No params: the diagnosis records and the diseases come from the spec's `protocol.endpoints`
(see `endpoint_records`).  Findings: the DM record of a treated subject (one with a Day 0)
without a diagnosis record; a diagnosis record of a treated subject whose term names none of
the protocol's diseases; the diagnosis records of a treated subject that name two diseases.
Without a known disease no efficacy instrument can be chosen for the subject.
"""

from __future__ import annotations

from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.protocol.endpoint_records import (
    diagnoses,
    endpoints_of,
    treated_subjects,
)
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select


@register("primary_diagnosis", message="{problem}")
def check_primary_diagnosis(context: StudyContext, params: NoParams) -> Outcome:
    """Every treated subject has one diagnosis of a protocol disease."""
    endpoints = endpoints_of(context, instruments=False)
    found = diagnoses(context, endpoints)
    treated = treated_subjects(context)
    dm = context.require_columns("DM", "USUBJID")
    first = ~dm["USUBJID"].duplicated()
    lacking = first & dm["USUBJID"].isin(treated) & ~dm["USUBJID"].isin(found["USUBJID"])
    mh = context.frame("MH")
    judged = found["USUBJID"].isin(treated)
    known = found[judged].dropna(subset=["DISEASE"]).drop_duplicates(["USUBJID", "DISEASE"])
    two = known["USUBJID"][known["USUBJID"].duplicated()]
    category = endpoints.disease.category
    diseases = ", ".join(dict.fromkeys(i.disease for i in endpoints.instruments))
    shown = ["MHCAT", "MHTERM", *(["MHDECOD"] if "MHDECOD" in mh.columns else [])]
    return (
        Outcome()
        .add(
            select(
                "DM",
                dm,
                lacking,
                ["USUBJID"],
                problem=f"a treated subject without an MH record of MHCAT = {category}",
            )
        )
        .add(
            select(
                "MH",
                mh,
                judged & found["DISEASE"].isna(),
                shown,
                problem=f"the {category.lower()} is none of the protocol's diseases ({diseases})",
            )
        )
        .add(
            select(
                "MH",
                mh,
                judged & found["USUBJID"].isin(two) & found["DISEASE"].notna(),
                shown,
                problem=f"the subject's {category.lower()} records name more than one disease",
            )
        )
    )
