"""The datasets of the transfer and of the define.xml are the same (those with metadata).

A finding is a supplied dataset the define does not describe, or a dataset the define describes
that the transfer does not hold.  Not run without a define.xml.  Reference: Define-XML 2.1
ItemGroupDef; FDA Study Data Technical Conformance Guide §4.1.4 (define.xml describes every
submitted dataset).
"""

from trialguard.validators.conformance.findings import supplied_datasets, with_metadata
from trialguard.validators.context import StudyContext
from trialguard.validators.define.common import about_dataset, define_of
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register


@register("define_datasets", message="{dataset}: {problem}")
def check_define_datasets(context: StudyContext, params: NoParams) -> Outcome:
    """Datasets of the transfer and the define are the same."""
    define = define_of(context)
    supplied = supplied_datasets(context)
    outcome = Outcome()
    for name in supplied:
        if name not in define.datasets:
            outcome.add(about_dataset(name, problem="in the transfer, not in the define.xml"))
    for name in (n for n in with_metadata(define.datasets) if n not in supplied):
        if context.study.unread(name) is None:
            outcome.add(about_dataset(name, problem="described in the define.xml, not supplied"))
    return outcome
