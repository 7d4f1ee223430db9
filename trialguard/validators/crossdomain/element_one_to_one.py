"""Element codes and descriptions map one to one within SE, TA and TE.

Records with ETCD or ELEMENT empty are left out (an unplanned element has no ELEMENT).  A
finding is a record whose ETCD goes with more than one ELEMENT in its dataset, or whose
ELEMENT goes with more than one ETCD.  Not run when none of SE, TA, TE has both variables.
Reference: SDTMIG 3.4 TE (ETCD, ELEMENT); Pinnacle 21 SD1027, SD1050; CORE-000132.
"""

from trialguard.validators.conformance.one_to_one import conflicts, not_one_to_one
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import NotApplicable, Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select

DATASETS = ("SE", "TA", "TE")


@register(
    "element_one_to_one",
    message="ETCD '{ETCD}' and ELEMENT '{ELEMENT}' do not map one to one in {dataset}: {conflict}",
)
def check_element_one_to_one(context: StudyContext, params: NoParams) -> Outcome:
    """Element codes and descriptions map one to one."""
    names = [
        n
        for n in DATASETS
        if context.has(n) and {"ETCD", "ELEMENT"} <= set(context.frame(n).columns)
    ]
    if not names:
        raise NotApplicable("none of SE, TA, TE has both ETCD and ELEMENT")
    outcome = Outcome()
    for name in names:
        frame = context.frame(name)
        crossed = not_one_to_one(frame, "ETCD", "ELEMENT")
        extra = {"conflict": conflicts(frame, "ETCD", "ELEMENT", crossed)}
        outcome.add(select(name, frame, crossed, ["ETCD", "ELEMENT"], extra, dataset=name))
    return outcome
