"""DM.RFXSTDTC is the subject's first exposure date in EX, DM.RFXENDTC the last.

Params: date, RFXSTDTC (compared with the earliest EXSTDTC) or RFXENDTC (with the
latest EXENDTC, or EXSTDTC where EXENDTC is empty).  Dates are compared by calendar
day.  A finding is a DM record of a subject with EX records whose date differs from
the one EX gives, or is empty; the EX date is shown beside it.  A subject with a
partial or invalid date on either side is not evaluable.  Reference: SDTMIG 3.4 DM (RFXSTDTC,
RFXENDTC: first and last study treatment, not customisable); CORE-000238, CORE-000239.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select


class Params(NoParams):
    date: Literal["RFXSTDTC", "RFXENDTC"] = "RFXSTDTC"


@register(
    "exposure_reference_dates",
    params=Params,
    message="{date} is not the {which} exposure date in EX",
)
def check_exposure_reference_dates(context: StudyContext, params: Params) -> Outcome:
    """RFXSTDTC and RFXENDTC are the first and last exposure dates in EX."""
    dm = context.require_columns("DM", "USUBJID", params.date)
    context.require_columns("EX", "USUBJID", "EXSTDTC")
    from_ex, partial = _exposure_dates(context, params.date == "RFXSTDTC")
    subjects = dm["USUBJID"]
    expected = from_ex.reindex(subjects.to_numpy()).set_axis(subjects.index)
    parsed = context.dates("DM", params.date)
    treated = subjects.isin(from_ex.index) | subjects.isin(partial)
    unknown = subjects.isin(partial) | (parsed["status"].eq("valid") & parsed["date"].isna())
    differs = treated & ~unknown & (parsed["date"].isna() | (parsed["date"] != expected))
    label = "first EXSTDTC" if params.date == "RFXSTDTC" else "last EXENDTC/EXSTDTC"
    extra = {label: expected.dt.strftime("%Y-%m-%d")}
    which = {"which": "first" if params.date == "RFXSTDTC" else "last", "date": params.date}
    return Outcome().add(
        select("DM", dm, differs, [params.date], extra, **which),
        select("DM", dm, treated & unknown, [params.date], extra, **which),
    )


def _exposure_dates(context: StudyContext, first: bool) -> tuple[pd.Series, set]:
    """Per subject, the first (or last) complete EX date; and the subjects with a partial one."""
    ex = context.frame("EX")
    start = context.dates("EX", "EXSTDTC")
    when = start
    if not first and "EXENDTC" in ex.columns:
        end = context.dates("EX", "EXENDTC")
        when = end.where(end["status"].ne("missing"), start)
    dated = when["status"].eq("valid")
    # a partial or invalid EX date may be the first or last one: that subject is not evaluable
    unclear = (dated & when["date"].isna()) | when["status"].eq("invalid")
    partial = set(ex.loc[unclear, "USUBJID"].dropna())
    grouped = when.loc[dated, "date"].groupby(ex.loc[dated, "USUBJID"])
    found = (grouped.min() if first else grouped.max()).dropna()
    return found.astype("datetime64[s]"), partial
