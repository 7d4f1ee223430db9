"""Variables the define.xml marks Mandatory="Yes" have a value in every record, and a value
level marked so has one on the records its where clause selects.

A finding is a record where such a variable is empty.  A mandatory variable the data lacks is
DEF-VAR's finding.  Reference: Define-XML 2.1 ItemRef @Mandatory, def:ValueListDef.
"""

import pandas as pd

from trialguard.validators.context import StudyContext
from trialguard.validators.define.common import define_of, described
from trialguard.validators.define.where import holds
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select


@register(
    "define_mandatory",
    message="{dataset}.{variable} is empty; the define.xml marks it Mandatory",
)
def check_define_mandatory(context: StudyContext, params: NoParams) -> Outcome:
    """Mandatory variables of the define are never empty."""
    define, outcome = define_of(context), Outcome()
    for name, metadata in described(context):
        frame = context.frame(name)
        for variable in (v for v in metadata.variables if v.name in frame.columns):
            required = pd.Series(variable.mandatory, index=frame.index)
            levels = define.value_levels.get(variable.value_list, ()) if variable.value_list else ()
            for level in (lv for lv in levels if lv.mandatory):
                required |= holds(frame, level.conditions)
            empty = required & frame[variable.name].isna()
            outcome.add(select(name, frame, empty, [variable.name], dataset=name,
                               variable=variable.name))  # fmt: skip
    return outcome
