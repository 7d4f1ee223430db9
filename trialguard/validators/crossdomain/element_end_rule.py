"""Every trial element says how it ends: TEENRL (the rule for its end) or TEDUR (its planned
duration).

A finding is a TE record with both empty (or a TE without either variable: each record).  Not
run without TE.  Reference: SDTMIG 3.4 TE assumptions (TEENRL, TEDUR); Pinnacle 21 SD0089;
CORE-000027.
"""

from trialguard.validators.context import StudyContext
from trialguard.validators.crossdomain.trial_design import given
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select


@register("element_end_rule", message="element {ETCD} has neither TEENRL nor TEDUR")
def check_element_end_rule(context: StudyContext, params: NoParams) -> Outcome:
    """Trial elements have an end rule or a duration."""
    context.supplied("TE")
    te = context.frame("TE")
    endless = ~given(te, "TEENRL") & ~given(te, "TEDUR")
    shown = [c for c in ("ETCD", "TEENRL", "TEDUR") if c in te.columns]
    return Outcome().add(select("TE", te, endless, shown))
