"""Every treated subject has a baseline record (--BLFL or --LOBXFL Y) in each Findings domain
of the transfer that flags baselines (EG, LB, MB, MS, PC, VS by default).

Params: domains (split datasets, LBCH and LBHE, count as their domain).  A treated subject is a
DM record with an EX record or a first exposure date (RFXSTDTC) that is no screen failure and
not unassigned or untreated (ARMCD SCRNFAIL or NOTASSGN, ACTARMCD NOTTRT, or a reason in
ARMNRS).  A domain whose datasets flag no record Y at all, or have neither flag, is passed over
(noted): it does not collect baselines.  A finding is a subject's DM record, once per domain
the subject lacks a baseline in; the message says whether the subject has any record there.
Not run without DM or when none of the domains is in the transfer.  Reference: SDTMIG 3.4
Findings (--BLFL, --LOBXFL); Pinnacle 21 SD0006 (FDA FDAC113).
"""

from __future__ import annotations

import pandas as pd

from trialguard.sdtm.naming import domain_code, variable_prefix
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import NotApplicable, Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select

UNTREATED_ARMS = ("SCRNFAIL", "NOTASSGN")


class Params(NoParams):
    domains: list[str] = ["EG", "LB", "MB", "MS", "PC", "VS"]


@register(
    "subject_baseline",
    params=Params,
    message="treated subject {USUBJID} has no baseline record in {dataset}{records}",
)
def check_subject_baseline(context: StudyContext, params: Params) -> Outcome:
    """Every treated subject has a baseline record in each Findings domain."""
    dm = context.require_columns("DM", "USUBJID")
    held = {d: _datasets(context, d) for d in params.domains}
    held = {d: names for d, names in held.items() if names}
    if not held:
        raise NotApplicable(f"none of {', '.join(params.domains)} is in the transfer")
    treated, outcome = _treated(context, dm), Outcome()
    for domain, names in held.items():
        subjects = _subjects(context, names)
        if subjects is None:
            outcome.notes.append(f"{domain} flags no baseline record: not checked")
            continue
        with_records, with_baseline = subjects
        lacking = treated & ~dm["USUBJID"].isin(with_baseline)
        some = dm["USUBJID"].isin(with_records)
        for has, words in ((True, ""), (False, " (and no record there at all)")):
            mask = lacking & (some if has else ~some)
            outcome.add(select("DM", dm, mask, ["USUBJID"], None, dataset=domain, records=words))
    return outcome


def _datasets(context: StudyContext, domain: str) -> list[str]:
    return [
        n for n in context.study.datasets if domain_code(n) == domain and not n.startswith("SUPP")
    ]


def _subjects(context: StudyContext, names: list[str]) -> tuple[pd.Series, pd.Series] | None:
    """(subjects with records, subjects with a baseline record) of a domain's datasets; None
    when none of them flags a record Y."""
    records, baselines, flags = [], [], 0
    for name in names:
        frame = context.frame(name)
        if "USUBJID" not in frame.columns:
            continue
        records.append(frame["USUBJID"])
        for flag in (f"{variable_prefix(name)}BLFL", f"{variable_prefix(name)}LOBXFL"):
            if flag in frame.columns:
                is_y = frame[flag].astype("string").str.strip().eq("Y").fillna(False)
                flags += int(is_y.sum())
                baselines.append(frame.loc[is_y.astype(bool), "USUBJID"])
    if not flags:
        return None
    return pd.concat(records), pd.concat(baselines)


def _treated(context: StudyContext, dm: pd.DataFrame) -> pd.Series:
    """DM records of subjects treated: exposed (EX or RFXSTDTC) and not screen failures,
    unassigned or untreated."""
    exposed = pd.Series(False, index=dm.index)
    if context.has("EX") and "USUBJID" in context.frame("EX").columns:
        exposed |= dm["USUBJID"].isin(context.frame("EX")["USUBJID"])
    if "RFXSTDTC" in dm.columns:
        exposed |= dm["RFXSTDTC"].astype("string").str.strip().fillna("") != ""
    excluded = pd.Series(False, index=dm.index)
    for column, values in (("ARMCD", UNTREATED_ARMS), ("ACTARMCD", ("NOTTRT",))):
        if column in dm.columns:
            excluded |= dm[column].astype("string").str.strip().isin(values).fillna(False)
    if "ARMNRS" in dm.columns:
        excluded |= dm["ARMNRS"].astype("string").str.strip().fillna("") != ""
    return (exposed & ~excluded).astype(bool)
