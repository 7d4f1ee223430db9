"""The variables of each dataset and of its define.xml description are the same.

A finding is a variable in the data the define does not list for the dataset, or a variable the
define lists that the data lacks (one finding per variable, about the dataset).  Reference:
Define-XML 2.1 ItemRef; P21 DD0040-style checks.
"""

from trialguard.validators.context import StudyContext
from trialguard.validators.define.common import about_dataset, described
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register


@register("define_variables", message="{dataset}.{variable}: {problem}")
def check_define_variables(context: StudyContext, params: NoParams) -> Outcome:
    """Variables of the data and the define are the same."""
    outcome = Outcome()
    for name, metadata in described(context):
        present = list(context.frame(name).columns)
        listed = [v.name for v in metadata.variables]
        for variable in (c for c in present if c not in listed):
            outcome.add(about_dataset(name, variable, problem="in the data, not in the define.xml"))
        for variable in (v for v in listed if v not in present):
            outcome.add(about_dataset(name, variable, problem="in the define.xml, not in the data"))
    return outcome
