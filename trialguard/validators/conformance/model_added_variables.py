"""A standard domain uses a variable of the SDTM model that its own SDTMIG table does not list.

The model lets a domain take any variable of its class (SDTMIG 3.4 §2.5): such a variable is
allowed, and still worth a look, since a reviewer expects the domain's table (AEDTC in AE, VISITNUM
in EX under SDTMIG 3.2).  The IG table is that of the study's SDTMIG version.  A finding is a
dataset and variable (about the dataset, not a record).  Judged: the SDTMIG domains of the
general classes and the special-purpose ones (DM, CO, SE, SM, SV); not custom domains, the
sponsor DL domain, SUPP--, trial design or relationship datasets.  Reference: Pinnacle 21 SD1076
(FDAC031); SDTMIG 3.4 §2.5.
"""

from __future__ import annotations

from trialguard.sdtm.model import model_variables
from trialguard.sdtm.sdtmig import domain_rows
from trialguard.validators.conformance.domains import domain_variables, ig_domain
from trialguard.validators.conformance.findings import about_dataset, supplied_datasets
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register

JUDGED_CLASSES = ("Interventions", "Events", "Findings", "Findings About", "Special-Purpose")


@register(
    "model_added_variables",
    message="{variable} is an SDTM model variable that the SDTMIG {version} table of "
    "{domain} does not list",
)
def check_model_added_variables(context: StudyContext, params: NoParams) -> Outcome:
    """Model variables added to a standard domain are listed."""
    model = context.standards.ig.model
    outcome = Outcome()
    for name in supplied_datasets(context):
        code = ig_domain(name)
        row = domain_rows().get(code or "")
        if row is None or row.origin != "SDTMIG" or row.cls not in JUDGED_CLASSES:
            continue
        columns = context.frame(name).columns
        listed = {v.name for v in domain_variables(name, model)}
        allowed = model_variables(name, columns) or frozenset()
        for column in (c for c in columns if c in allowed and c not in listed):
            outcome.add(about_dataset(name, column, domain=code, version=model))
    return outcome
