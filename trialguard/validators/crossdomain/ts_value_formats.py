"""Trial summary values have the form their parameter needs: dates (SSTDTC, SENDTC,
DCUTDTC) are ISO 8601 dates, ages and lengths (AGEMIN, AGEMAX, LENGTH) ISO 8601 durations,
counts (PLANSUB, ACTSUB, NARMS) numbers.

Params: dates, durations, numbers: the TSPARMCD values of each form.  An empty TSVAL is
another rule's (TSVALNF says why).  A finding is a TS record of a listed parameter whose TSVAL
has another form.  Not run without TS or its TSPARMCD and TSVAL.  Reference: SDTMIG 3.4 TS
and Appendix C1 (trial summary codes); FDA Technical Rejection Criteria 1734 (SSTDTC);
CORE-000505, CORE-000294; Pinnacle 21 SD2245, SD2247, SD2248, SD1215, SD1217, SD1219,
SD1221, SD2246, SD2249.
"""

import pandas as pd

from trialguard.sdtm.dates import ISO8601_DURATION, VALID, parse_iso8601
from trialguard.validators.context import StudyContext
from trialguard.validators.crossdomain.trial_design import text
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select

FORMS = {
    "dates": "an ISO 8601 date",
    "durations": "an ISO 8601 duration (e.g. P18Y)",
    "numbers": "a number",
}


class Params(NoParams):
    dates: list[str] = []
    durations: list[str] = []
    numbers: list[str] = []


@register(
    "ts_value_formats",
    params=Params,
    message="TSVAL '{TSVAL}' of {TSPARMCD} is not {form}",
)
def check_ts_value_formats(context: StudyContext, params: Params) -> Outcome:
    """Trial summary dates, durations and counts have their form."""
    context.supplied("TS")
    ts = context.require_columns("TS", "TSPARMCD", "TSVAL")
    values = text(ts, "TSVAL").str.strip()
    outcome = Outcome()
    for form, codes in (
        ("dates", params.dates),
        ("durations", params.durations),
        ("numbers", params.numbers),
    ):
        listed = ts["TSPARMCD"].isin(codes) & values.notna()
        broken = listed & ~_has_form(values.where(listed), form)
        outcome.add(select("TS", ts, broken, ["TSPARMCD", "TSVAL"], None, form=FORMS[form]))
    return outcome


def _has_form(values: pd.Series, form: str) -> pd.Series:
    if form == "dates":
        return parse_iso8601(values)["status"] == VALID
    if form == "durations":
        shaped = values.str.fullmatch(ISO8601_DURATION) & values.str.contains(r"\d")
        return shaped.fillna(False).astype(bool)
    return pd.to_numeric(values, errors="coerce").notna()
