"""A baseline flag marks at most one record per subject and test: --BLFL Y (and --LOBXFL Y) once
per USUBJID, --TESTCD and the qualifiers that make it another measurement.

Params: by, the variables beside USUBJID that tell one measurement from another (default
--TESTCD, --CAT, --SCAT, --SPEC, --METHOD, as CORE groups, and --POS, --LOC, --LAT, --DIR,
--PORTOT, --LEAD: a blood pressure standing and one supine, a left and a right eye, two ECG
leads each have their baseline; and the planned time point --TPTREF, --TPT, which studies such
as the CDISC pilot use for the position: "AFTER LYING DOWN FOR 5 MINUTES", "AFTER STANDING FOR
1 MINUTE"); a variable the dataset lacks is left out of the key.  Triplicate readings at one
time point stay one measurement: a sponsor deriving the baseline from them flags the derived
record (--DRVFL Y) alone.  A finding is every
record of a subject, flag and key flagged Y more than once.  Not run when no dataset has
USUBJID, --TESTCD and a baseline flag.  Reference: SDTMIG 3.4 Findings (--BLFL, --LOBXFL: the
record of a subject's baseline for a test); CORE-000914.
"""

from __future__ import annotations

import pandas as pd

from trialguard.sdtm.naming import variable_prefix
from trialguard.validators.conditions import resolve
from trialguard.validators.conformance.findings import supplied_datasets
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Hits, NotApplicable, Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select
from trialguard.validators.wording import joined, named_value

QUALIFIERS = ["--CAT", "--SCAT", "--SPEC", "--METHOD", "--POS", "--LOC", "--LAT", "--DIR"]


class Params(NoParams):
    by: list[str] = ["--TESTCD", *QUALIFIERS, "--PORTOT", "--LEAD", "--TPTREF", "--TPT"]


@register(
    "single_baseline",
    params=Params,
    message="{flag} is Y on more than one record of the subject with the same {key}",
)
def check_single_baseline(context: StudyContext, params: Params) -> Outcome:
    """A baseline flag marks one record per subject and test."""
    outcome, checked = Outcome(), 0
    for name in supplied_datasets(context):
        frame = context.frame(name)
        key = ["USUBJID", *(c for c in (resolve(v, name) for v in params.by) if c in frame)]
        if "USUBJID" not in frame or f"{variable_prefix(name)}TESTCD" not in key:
            continue
        for flag in (f"{variable_prefix(name)}BLFL", f"{variable_prefix(name)}LOBXFL"):
            if flag in frame.columns:
                checked += 1
                repeated = _repeated(frame, flag, key)
                labels = {"flag": flag, "key": " + ".join(key)}
                outcome.hits += _worded(name, frame, repeated, flag, key[1:], labels)
    if not checked:
        raise NotApplicable("no dataset has USUBJID, --TESTCD and --BLFL or --LOBXFL")
    return outcome


def _worded(
    name: str, frame: pd.DataFrame, repeated: pd.Series, flag: str, key: list[str], labels: dict
) -> list[Hits]:
    """The repeated records, one Hits per set of key variables filled, its message naming the
    record's values of them ("LBTESTCD 'ALT' and LBSPEC 'SERUM'")."""
    filled = frame.loc[repeated, key].notna()
    found = []
    for pattern, group in filled.groupby(key, sort=False):
        hits = select(name, frame, frame.index.isin(group.index), [*key, flag], None, **labels)
        given = [c for c, has in zip(key, pattern, strict=True) if has]
        values = joined([named_value(frame, c) for c in given]) or "no key value"
        hits.message = f"{flag} is Y on more than one record of the subject with {values}"
        found.append(hits)
    return found


def _repeated(frame: pd.DataFrame, flag: str, key: list[str]) -> pd.Series:
    """Records flagged Y whose key another record flagged Y shares (empty values alike)."""
    flagged = frame[flag].astype("string").str.strip().eq("Y").fillna(False).astype(bool)
    keys = frame.loc[flagged, key].astype("string").fillna("")
    repeated = keys.duplicated(keep=False)
    return repeated.reindex(frame.index, fill_value=False).astype(bool)
