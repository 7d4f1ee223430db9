"""A DLT's onset lies inside the protocol's DLT window (e.g. Day 0 to Day 28 after the infusion).

The window comes from the spec's protocol.dlt_window.  A finding is a DLT
record whose onset (DLSTDTC) is outside the window.  Records of subjects
without a Day 0, or with a partial onset the window cannot decide, are not
evaluable.
"""

from __future__ import annotations

from trialguard.sdtm.dates import classify_in_window
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import NotRun, Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import day_text, select


def dlt_window(context):
    window = context.spec.protocol.dlt_window
    if window is None:
        raise NotRun("the spec defines no DLT window (protocol.dlt_window)")
    return window


@register(
    "dlt_window",
    message="DLT onset {DLSTDTC} is on protocol day {protocol_day}, outside the window {window}",
)
def check_dlt_window(context: StudyContext, params: NoParams) -> Outcome:
    """DLT onsets fall inside the DLT window."""
    window = dlt_window(context)
    dl = context.require_columns("DL", "USUBJID", "DLSTDTC")
    context.day0  # noqa: B018  (raises NotRun without a Day 0 treatment)
    days = context.protocol_days("DL", "DLSTDTC")
    outside, undetermined = classify_in_window(
        days["low"], days["high"], window.first_day, window.last_day
    )
    extra = {"protocol_day": day_text(days)}
    label = {"window": f"Day {window.first_day} to Day {window.last_day}"}
    day0 = days["has_day0"]
    partial = select("DL", dl, undetermined & day0, ["DLSTDTC"], extra, **label)
    partial.message = (
        "DLT onset {DLSTDTC} may fall outside the window {window}: protocol day {protocol_day}"
    )
    no_day0 = select("DL", dl, ~day0, ["DLSTDTC"], extra, **label)
    no_day0.message = (
        "DLT onset {DLSTDTC} cannot be placed in the window {window}: the subject has no Day 0"
    )
    outcome = Outcome().add(select("DL", dl, outside & day0, ["DLSTDTC"], extra, **label))
    return outcome.undecided(partial, no_day0)
