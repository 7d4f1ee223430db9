"""AGE agrees with BRTHDTC: the completed years from birth to the reference date.

The sponsor chooses the reference (SDTMIG 3.4 DM: usually RFSTDTC, sometimes informed
consent), so AGE may match either RFSTDTC or RFICDTC.  A partial BRTHDTC (year, or year
and month) allows a range of ages.  Only records with AGEU YEARS (or no AGEU) are
compared.  A finding is a DM record whose AGE is outside what BRTHDTC gives at every
reference date the record has; a record with no complete reference date is not
evaluable, as is one whose BRTHDTC has no year.  Reference: SDTMIG 3.4 DM (AGE,
BRTHDTC); AGE may be derived from them.
"""

from __future__ import annotations

import pandas as pd

from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Hits, NotApplicable, Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select

REFERENCES = ("RFSTDTC", "RFICDTC")
AGE_BIRTH = "AGE {AGE} does not agree with BRTHDTC '{BRTHDTC}'"
CANNOT = "AGE {AGE} cannot be compared with BRTHDTC '{BRTHDTC}'"


@register("age_from_birth", message=AGE_BIRTH)
def check_age_from_birth(context: StudyContext, params: NoParams) -> Outcome:
    """AGE agrees with BRTHDTC at the reference date."""
    dm = context.frame("DM")
    if not {"AGE", "BRTHDTC"} <= set(dm.columns):
        raise NotApplicable("the data lacks the variables it tests (DM AGE, BRTHDTC)")
    references = [r for r in REFERENCES if r in dm.columns]
    age = context.numbers("DM", "AGE")
    birth = context.dates("DM", "BRTHDTC")
    in_years = _in_years(dm) & age.notna() & birth["status"].eq("valid")
    unknown_year = in_years & (birth["earliest"].isna() | birth["latest"].isna())  # --03-10
    agrees = pd.Series(False, index=dm.index)
    known = pd.DataFrame(index=dm.index)
    extra = {}
    for reference in references:
        on = context.dates("DM", reference)["date"]
        low, high = _completed_years(birth["latest"], on), _completed_years(birth["earliest"], on)
        known[reference] = on.notna()
        agrees |= known[reference] & (age >= low) & (age <= high)
        extra[f"age at {reference}"] = _shown(low, high)
    decided = known.any(axis=1)
    wrong = in_years & ~unknown_year & decided & ~agrees
    shown = ["AGE", "BRTHDTC", *references]
    dates = " or ".join(references) or "RFSTDTC or RFICDTC"
    undated = select("DM", dm, in_years & ~unknown_year & ~decided, shown, extra)
    undated.message = f"{CANNOT}: no complete reference date ({dates})"
    yearless = select("DM", dm, in_years & unknown_year, shown, extra)
    yearless.message = f"{CANNOT}: it has no year"
    return Outcome(hits=_wrong(dm, wrong, known, shown, extra)).undecided(undated, yearless)


def _wrong(dm, wrong: pd.Series, known: pd.DataFrame, shown: list, extra: dict) -> list[Hits]:
    """The records whose AGE BRTHDTC contradicts, one Hits per set of reference dates known,
    its message naming the age each gives."""
    found: list[Hits] = []
    if not wrong.any():
        return found
    for pattern, group in known[wrong].groupby(list(known.columns), sort=False):
        dated = [r for r, has in zip(known.columns, pattern, strict=True) if has]
        ages = [f"{{age at {r}}} at {r} '{{{r}}}'" for r in dated]
        hits = select("DM", dm, dm.index.isin(group.index), shown, extra)
        hits.message = f"{AGE_BIRTH}: the age from it is {' and '.join(ages)}"
        found.append(hits)
    return found


def _in_years(dm: pd.DataFrame) -> pd.Series:
    if "AGEU" not in dm.columns:
        return pd.Series(True, index=dm.index)
    return dm["AGEU"].isna() | dm["AGEU"].astype("string").str.upper().eq("YEARS")


def _completed_years(birth: pd.Series, on: pd.Series) -> pd.Series:
    """Whole years from `birth` to `on` (NaN where either is unknown)."""
    born, at = pd.to_datetime(birth), pd.to_datetime(on)
    years = at.dt.year - born.dt.year
    before_birthday = (at.dt.month < born.dt.month) | (
        (at.dt.month == born.dt.month) & (at.dt.day < born.dt.day)
    )
    return (years - before_birthday.astype("Int64")).astype("Float64")


def _shown(low: pd.Series, high: pd.Series) -> pd.Series:
    text = low.astype("Int64").astype("string")
    span = text + "-" + high.astype("Int64").astype("string")
    return text.where(low == high, span)
