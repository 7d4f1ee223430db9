"""The datasets of the transfer are the ones its define.xml describes, every one of them.

A finding is a dataset of the transfer (read or not) the define does not describe, or a dataset
the define describes that the transfer does not hold.  Datasets are compared by name, as the
define's ItemGroupDef Name gives it: a split dataset by its own (LBCH, SUPPLBCH), not its
domain's.  Not run without a define.xml.  Reference: Define-XML 2.1 ItemGroupDef; FDA Study
Data Technical Conformance Guide §4.1.4 (define.xml describes every submitted dataset);
Pinnacle 21 SD0061 (dataset described but missing), SD1063 (dataset not in the define.xml).
"""

from trialguard.validators.context import StudyContext
from trialguard.validators.define.common import about_dataset, define_of
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register


@register("define_datasets", message="{dataset}: {problem}")
def check_define_datasets(context: StudyContext, params: NoParams) -> Outcome:
    """Datasets of the transfer and the define are the same."""
    described = set(define_of(context).datasets)
    study = context.study
    held = set(study.datasets) | {u.dataset for u in study.unreadable}
    outcome = Outcome()
    for name in sorted(held - described):
        outcome.add(about_dataset(name, problem="in the transfer, not in the define.xml"))
    for name in sorted(described - held):
        outcome.add(about_dataset(name, problem="described in the define.xml, not supplied"))
    return outcome
