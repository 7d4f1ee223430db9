"""The trial summary parameters a submission needs are in TS: each listed parameter has a
record, and each conditional one has a record where TS states its condition (e.g. TINDTP
when STYPE is INTERVENTIONAL, CURTRT when ADDON is Y).

Params: parameters, the TSPARMCD values always needed; when, a map from a TSPARMCD needed
only sometimes to the TS values that make it needed (`{TINDTP: {STYPE: [INTERVENTIONAL]}}`:
every TSPARMCD named must have a record whose TSVAL is one of those listed).  A finding is
about TS as a whole: one per parameter it lacks.  Not run without TS or its TSPARMCD.
Reference: FDA Study Data Technical Rejection Criteria 1734 (SSTDTC); Pinnacle 21 FDA rules
SD2201-SD2235 and SD1226 (missing trial summary parameters).
"""

import pandas as pd

from trialguard.validators.conformance.findings import about_dataset
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register


class Params(NoParams):
    parameters: list[str]
    when: dict[str, dict[str, list[str]]] = {}


@register(
    "ts_required_parameters",
    params=Params,
    message="TS has no {parameter} record ({needed})",
)
def check_ts_required_parameters(context: StudyContext, params: Params) -> Outcome:
    """The trial summary parameters a submission needs are present."""
    context.supplied("TS")
    ts = context.require_columns("TS", "TSPARMCD")
    present = set(ts["TSPARMCD"].dropna().astype(str))
    needed = {code: "needed in every study" for code in params.parameters}
    for code, conditions in params.when.items():
        if all(_stated(ts, parameter, values) for parameter, values in conditions.items()):
            said = " and ".join(f"{p} is {' or '.join(v)}" for p, v in conditions.items())
            needed[code] = f"needed when {said}"
    outcome = Outcome()
    for code, why in needed.items():
        if code not in present:
            outcome.add(about_dataset("TS", "TSPARMCD", parameter=code, needed=why))
    return outcome


def _stated(ts: pd.DataFrame, parameter: str, values: list[str]) -> bool:
    """Whether TS has a record of `parameter` whose TSVAL is one of `values`."""
    if "TSVAL" not in ts.columns:
        return False
    return bool(((ts["TSPARMCD"] == parameter) & ts["TSVAL"].isin(values)).any())
