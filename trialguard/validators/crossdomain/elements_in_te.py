"""Elements of SE and TA are elements of TE: each ETCD is an ETCD of TE, and with ELEMENT the
pair is one TE defines, but for unplanned elements (ETCD UNPLAN).

A finding is an SE or TA record whose ETCD (empty ones are not judged), or ETCD and ELEMENT,
TE does not define.  Not run without TE and its ETCD, or without an SE or TA with ETCD.
Reference: SDTMIG 3.4 SE and TA (elements from TE); Pinnacle 21 SD0067, SD1012; CORE-000173.
"""

from trialguard.validators.context import StudyContext
from trialguard.validators.crossdomain.trial_design import (
    UNPLANNED_ELEMENT,
    column_or_empty,
    given,
    missing_from,
    worded,
)
from trialguard.validators.outcome import NotRun, Outcome
from trialguard.validators.registry import NoParams, register

NOT_IN_TE = "ETCD '{ETCD}' with ELEMENT '{ELEMENT}' is no element of TE"


@register("elements_in_te", message="ETCD '{ETCD}' is no element of TE")
def check_elements_in_te(context: StudyContext, params: NoParams) -> Outcome:
    """Elements of SE and TA are elements of TE."""
    context.supplied("TE")
    te = context.require_columns("TE", "ETCD")
    te = te.assign(ELEMENT=column_or_empty(te, "ELEMENT"))
    names = [n for n in ("SE", "TA") if context.has(n) and "ETCD" in context.frame(n).columns]
    if not names:
        raise NotRun("neither SE nor TA has ETCD")
    outcome = Outcome()
    for name in names:
        frame = context.frame(name)
        frame = frame.assign(ELEMENT=column_or_empty(frame, "ELEMENT"))
        judged = given(frame, "ETCD") & (frame["ETCD"] != UNPLANNED_ELEMENT)
        unknown = missing_from(frame, ["ETCD"], te, ["ETCD"])
        unpaired = given(frame, "ELEMENT") & missing_from(
            frame, ["ETCD", "ELEMENT"], te, ["ETCD", "ELEMENT"]
        )
        outcome.add(
            worded(name, frame, judged & (unknown | unpaired), ["ETCD", "ELEMENT"], NOT_IN_TE)
        )
    return outcome
