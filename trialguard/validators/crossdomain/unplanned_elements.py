"""An unplanned element (ETCD UNPLAN) of SE has no planned order (TAETORD) and no ELEMENT.

A finding is an SE record with ETCD UNPLAN and TAETORD or ELEMENT filled.  Not run without SE
or its ETCD.  Reference: SDTMIG 3.4 SE assumptions (unplanned elements); Pinnacle 21 SD1013,
SD1010; CORE-000020, CORE-000009.
"""

from trialguard.validators.context import StudyContext
from trialguard.validators.crossdomain.trial_design import UNPLANNED_ELEMENT, given, worded
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register

FILLED = "{variable} is '{value}' in an unplanned element (ETCD UNPLAN), where it is empty"


@register("unplanned_elements", message="an unplanned element has a planned element's values")
def check_unplanned_elements(context: StudyContext, params: NoParams) -> Outcome:
    """Unplanned elements have no planned order or element name."""
    context.supplied("SE")
    se = context.require_columns("SE", "ETCD")
    unplanned = se["ETCD"] == UNPLANNED_ELEMENT
    outcome = Outcome()
    for variable in ("TAETORD", "ELEMENT"):
        filled = unplanned & given(se, variable)
        outcome.add(worded("SE", se, filled, [variable], FILLED, variable=variable))
    return outcome
