"""Every dataset of the transfer has conformance metadata, or is listed as having none.

Every dataset file is read and counted; the conformance rules check every dataset of an
SDTMIG 3.2 to 3.4 domain (a split dataset such as QSCO by its domain's metadata), every SUPP--,
the sponsor DL domain, and every custom domain whose variables show its class (--TESTCD,
--TRT or --TERM).  A finding is a dataset that none of these describes (a dataset of another
standard such as SEND's TX or SDTMIG-AP's APMH, or a name that is no domain code): no
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
        if ig_domain(name, dataset.frame.columns) is None:
            outcome.add(about_dataset(name, records=f"{dataset.records:,}"))
    return outcome
