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
from trialguard.validators.outcome import Hits, Outcome
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
    words = _messages(params.date, label)
    partial_ex = subjects.isin(partial)

    def found(mask: pd.Series, kind: str) -> Hits:
        hits = select("DM", dm, mask, [params.date], extra, **which)
        hits.message = words[kind]
        return hits

    empty = dm[params.date].isna()
    outcome = Outcome().add(found(differs & ~empty, "differs"))
    return outcome.add(found(differs & empty, "empty")).undecided(
        found(treated & partial_ex, "partial EX"), found(treated & unknown & ~partial_ex, "partial")
    )


def _messages(date: str, label: str) -> dict[str, str]:
    """The message of each kind of finding, naming the DM date and the one EX gives."""
    ex_date = "{" + label + "}"
    variables = label.split(" ", 1)[1]
    return {
        "differs": f"{date} '{{{date}}}' is not the {{which}} exposure date in EX: the "
        f"{label} is {ex_date}",
        "empty": f"{date} is empty; the {label} is {ex_date}",
        "partial EX": f"{date} '{{{date}}}' cannot be compared with EX: an {variables} of the "
        "subject is partial or not ISO 8601",
        "partial": f"{date} '{{{date}}}' is partial: it cannot be compared with the {label} "
        f"{ex_date}",
    }


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
