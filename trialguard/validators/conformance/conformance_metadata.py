"""Every dataset of the transfer has conformance metadata, or is listed as having none.

Every dataset file is read and counted; the conformance rules check the datasets trialguard has
SDTMIG metadata for (DM, EX, AE, DL, TS, SV, MH, DS, CM, PR, HO, RS, QS and every SUPP--).  A
finding is a dataset read without such metadata (e.g. TA, LB, a sponsor domain): no
conformance rule looked at its values, and the report says so instead of passing it silently.
"""

from trialguard.validators.conformance.domains import ig_domain
from trialguard.validators.conformance.findings import about_dataset
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register


@register(
    "conformance_metadata",
    message="no conformance metadata for {dataset}: its {records} records were read and "
    "counted, and no conformance rule checked them",
)
def check_conformance_metadata(context: StudyContext, params: NoParams) -> Outcome:
    """Datasets without conformance metadata are listed."""
    outcome = Outcome()
    for name, dataset in context.study.datasets.items():
        if ig_domain(name) is None:
            outcome.add(about_dataset(name, records=f"{dataset.records:,}"))
    return outcome
