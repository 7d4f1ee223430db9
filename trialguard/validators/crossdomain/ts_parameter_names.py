"""Trial summary parameter codes are at most 8 characters, their names at most 40, and code
and name map one to one.

A finding is a TS record whose TSPARMCD is longer than 8 characters, whose TSPARM is longer
than 40, or whose TSPARMCD goes with more than one TSPARM in TS (or the reverse).  Not run
without TS or its TSPARMCD and TSPARM.  Reference: SDTMIG 3.4 TS (TSPARMCD, TSPARM);
CORE-000147, CORE-000148, CORE-000179; Pinnacle 21 SD0019, SD0020, SD1069, SD1070.
"""

from trialguard.validators.conformance.one_to_one import conflicts, not_one_to_one
from trialguard.validators.context import StudyContext
from trialguard.validators.crossdomain.trial_design import text, worded
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select

LIMITS = {"TSPARMCD": 8, "TSPARM": 40}
TOO_LONG = "{variable} '{value}' is longer than {limit} characters"
NOT_ONE_TO_ONE = (
    "TSPARMCD '{TSPARMCD}' and TSPARM '{TSPARM}' do not map one to one in TS: {conflict}"
)


@register("ts_parameter_names", message="TS parameter {TSPARMCD} ({TSPARM}) is malformed")
def check_ts_parameter_names(context: StudyContext, params: NoParams) -> Outcome:
    """Trial summary parameter codes and names keep their lengths and map one to one."""
    context.supplied("TS")
    ts = context.require_columns("TS", "TSPARMCD", "TSPARM")
    outcome = Outcome()
    for variable, limit in LIMITS.items():
        long = text(ts, variable).str.len().gt(limit).fillna(False).astype(bool)
        outcome.add(worded("TS", ts, long, [variable], TOO_LONG, variable=variable, limit=limit))
    crossed = not_one_to_one(ts, "TSPARMCD", "TSPARM")
    extra = {"conflict": conflicts(ts, "TSPARMCD", "TSPARM", crossed)}
    hits = select("TS", ts, crossed, ["TSPARMCD", "TSPARM"], extra)
    hits.message = NOT_ONE_TO_ONE
    return outcome.add(hits)
