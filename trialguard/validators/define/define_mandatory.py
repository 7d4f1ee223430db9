"""Variables the define.xml marks Mandatory="Yes" have a value in every record.

A finding is a record where such a variable is empty.  A mandatory variable the data lacks is
DEF-VAR's finding.  Reference: Define-XML 2.1 ItemRef @Mandatory.
"""

from trialguard.validators.context import StudyContext
from trialguard.validators.define.common import described
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select


@register(
    "define_mandatory",
    message="{dataset}.{variable} is empty; the define.xml marks it Mandatory",
)
def check_define_mandatory(context: StudyContext, params: NoParams) -> Outcome:
    """Mandatory variables of the define are never empty."""
    outcome = Outcome()
    for name, metadata in described(context):
        frame = context.frame(name)
        for variable in (v for v in metadata.variables if v.mandatory and v.name in frame.columns):
            empty = frame[variable.name].isna()
            outcome.add(select(name, frame, empty, [variable.name], dataset=name,
                               variable=variable.name))  # fmt: skip
    return outcome
