"""A trial summary value is given, or its null flavor says why not, never both: TSVAL empty
needs TSVALNF, and TSVALNF is empty when TSVAL holds a value.

TSVAL may itself hold a null flavor term or its description (NI, No information, UNK,
Unknown, ...): such a record beside a TSVALNF is not a finding.  A finding is a TS record
with neither TSVAL nor TSVALNF, or with both.  Not run without TS or its TSVAL.
Reference: SDTMIG 3.4 TS assumptions 8-11 (TSVALNF, ISO 21090 null flavors); Pinnacle 21
SD2017, SD2018; CORE-000041.
"""

from trialguard.validators.context import StudyContext
from trialguard.validators.crossdomain.trial_design import given, text, worded
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register

NULL_FLAVORS = {  # ISO 21090 null flavors, codes and descriptions (as CORE-000041 lists them)
    *("NI", "NO INFORMATION", "INV", "INVALID", "OTH", "OTHER", "PINF", "POSITIVE INFINITY"),
    *("NINF", "NEGATIVE INFINITY", "UNC", "UNENCODED", "DER", "DERIVED", "UNK", "UNKNOWN"),
    *("ASKU", "ASKED BUT UNKNOWN", "NAV", "TEMPORARILY UNAVAILABLE", "NASK", "NOT ASKED"),
    *("TRC", "TRACE", "MSK", "MASKED", "QS", "SUFFICIENT QUANTITY", "NA", "NOT APPLICABLE"),
}
NEITHER = "TSVAL of {TSPARMCD} is empty and TSVALNF gives no null flavor"
BOTH = "TSVAL of {TSPARMCD} holds '{TSVAL}' and TSVALNF is '{TSVALNF}' as well"


@register("ts_null_flavors", message="TSVAL and TSVALNF of {TSPARMCD} disagree")
def check_ts_null_flavors(context: StudyContext, params: NoParams) -> Outcome:
    """A trial summary value is given or its null flavor says why not."""
    context.supplied("TS")
    ts = context.require_columns("TS", "TSVAL")
    value, flavor = given(ts, "TSVAL"), given(ts, "TSVALNF")
    shown = [c for c in ("TSPARMCD", "TSVAL", "TSVALNF") if c in ts.columns]
    a_flavor = text(ts, "TSVAL").str.strip().str.upper().isin(NULL_FLAVORS)
    outcome = Outcome()
    outcome.add(worded("TS", ts, ~value & ~flavor, shown, NEITHER))
    return outcome.add(worded("TS", ts, value & flavor & ~a_flavor, shown, BOTH))
