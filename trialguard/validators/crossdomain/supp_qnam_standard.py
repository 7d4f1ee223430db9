"""A QNAM is not a standard variable of its parent domain.

A finding is a SUPP-- record whose QNAM is a variable the SDTMIG (the study's version) defines
for the domain it qualifies (SUPPAE: AE, SUPPLBCH: LB, SUPPQUAL: its RDOMAIN): a standard
variable belongs in the parent dataset, not among its supplemental qualifiers.  A domain
trialguard has no SDTMIG metadata for is named in a note; when no record's domain has any, or
no SUPP-- dataset has QNAM, the rule does not run.
Reference: SDTMIG 3.4 §2.5 and §8.4; CORE-000783.
"""

from __future__ import annotations

import pandas as pd

from trialguard.validators.conformance.domains import domain_variables
from trialguard.validators.context import StudyContext
from trialguard.validators.crossdomain.supp_records import qualifier_domain, supp_datasets_with
from trialguard.validators.outcome import NotRun, Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select


@register(
    "supp_qnam_standard",
    message="QNAM {QNAM} of {dataset} is a standard variable of {parent}, not a qualifier",
)
def check_supp_qnam_standard(context: StudyContext, params: NoParams) -> Outcome:
    """QNAM is not a standard variable of the parent domain."""
    outcome, unknown, checked = Outcome(), set(), 0
    model = context.standards.ig.model
    for name in supp_datasets_with(context, outcome, "QNAM"):
        frame = context.frame(name)
        qnam = frame["QNAM"].astype("string").str.strip()
        rdomain = frame.get("RDOMAIN", pd.Series(pd.NA, index=frame.index))
        domains = qualifier_domain(name, rdomain.astype("string").str.strip())
        for domain in sorted(domains.dropna().unique()):
            standard = {v.name for v in domain_variables(str(domain), model)}
            if not standard:
                unknown.add(str(domain))
                continue
            checked += 1
            clash = domains.eq(domain).fillna(False) & qnam.isin(standard)
            outcome.add(select(name, frame, clash, ["QNAM"], dataset=name, parent=domain))
    return _noted(outcome, unknown, checked)


def _noted(outcome: Outcome, unknown: set[str], checked: int) -> Outcome:
    reason = f"no SDTMIG metadata of {', '.join(sorted(unknown))}" if unknown else ""
    if not checked:
        raise NotRun(reason or "no SUPP-- record names its domain")
    if unknown:
        outcome.notes.append(f"not checked: {reason}")
    return outcome
