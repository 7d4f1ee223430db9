"""The records the efficacy-endpoint rules share: diagnoses, instrument results, visits.

The spec's `protocol.endpoints` says where each subject's disease is recorded (MH records of
one MHCAT, the disease named by MHDECOD or, where that is empty, MHTERM), which instrument each
disease is judged by (the records of one --CAT of RS or QS, the score under one --TESTCD) and
the visit window, in protocol days from Day 0.  A record's result is --STRESN, else --STRESC
or --ORRES read as a number; its day is that of --DTC (a partial date: the range of days).
A subject who left the study (a DS disposition event other than COMPLETED) before the visit
window opens is not expected at the visit.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from trialguard.spec.models import Endpoints, Instrument, Visit
from trialguard.validators.context import StudyContext, looked_up
from trialguard.validators.outcome import NotRun

EMPTY_RECORDS = {"USUBJID": "object", "TESTCD": "object", "TEXT": "object", "VALUE": "float64"}
EMPTY_RECORDS |= {"LOW": "Int64", "HIGH": "Int64", "UNDATED": "object"}
COMPLETED = "COMPLETED"
STUDY_PARTICIPATION = "STUDY PARTICIPATION"


def endpoints_of(context: StudyContext, instruments: bool = True) -> Endpoints:
    """The spec's endpoints (when `instruments`: once the transfer holds a dataset of them)."""
    endpoints = context.spec.protocol.endpoints
    if endpoints is None:
        raise NotRun("the spec defines no efficacy endpoints (protocol.endpoints)")
    if instruments:
        require_some_dataset(context, endpoints)
    return endpoints


def treated_subjects(context: StudyContext) -> pd.Index:
    """The subjects with a Day 0; a rule judging treated subjects does not run without any."""
    treated = context.day0.index
    if treated.empty:
        raise NotRun("no subject has a Day 0 (see the Day 0 rules)")
    return treated


def upper_text(values: pd.Series) -> pd.Series:
    """Values as text in upper case without surrounding spaces (missing stays missing)."""
    return values.astype("string").str.strip().str.upper()


def diagnoses(context: StudyContext, endpoints: Endpoints) -> pd.DataFrame:
    """The diagnosis records of MH (index: record number) with USUBJID, TERM (the term
    judged) and DISEASE (the instrument's disease that term names, missing for none)."""
    key = ("endpoint diagnoses", endpoints.disease.category)
    if key not in context.cache:
        mh = context.require_columns("MH", "USUBJID", "MHCAT", "MHTERM")
        category = endpoints.disease.category.upper()
        rows = mh[upper_text(mh["MHCAT"]).eq(category).fillna(False)]
        term = rows["MHTERM"]
        if "MHDECOD" in rows.columns:
            term = rows["MHDECOD"].where(rows["MHDECOD"].notna(), term)
        named = {t.strip().upper(): i.disease for i in endpoints.instruments for t in i.terms}
        disease = upper_text(term).map(named).astype("object")
        context.cache[key] = pd.DataFrame(
            {"USUBJID": rows["USUBJID"], "TERM": term, "DISEASE": disease}, index=rows.index
        )
    return context.cache[key]  # type: ignore[return-value]


def subject_diseases(context: StudyContext, endpoints: Endpoints) -> pd.Series:
    """Per USUBJID, the one disease its diagnosis records name (subjects whose records name
    none, or more than one, are left out: the primary_diagnosis rule reports them)."""
    found = diagnoses(context, endpoints).dropna(subset=["USUBJID", "DISEASE"])
    per_subject = found.drop_duplicates(["USUBJID", "DISEASE"])
    single = per_subject.drop_duplicates("USUBJID", keep=False)
    return single.set_index("USUBJID")["DISEASE"]


def instrument_records(
    context: StudyContext, instrument: Instrument, dated: bool = True
) -> pd.DataFrame:
    """The instrument's records (index: record number of its dataset): USUBJID, TESTCD
    (upper case), TEXT (the result as written), VALUE (it as a number), VISITNUM and VISIT
    where present; when `dated`, LOW and HIGH (protocol days) and UNDATED (why a record has
    no protocol day: its --DTC is empty or not ISO 8601, or the subject has no Day 0).  A
    dataset the transfer lacks holds no records of the instrument (one it could not read
    stops the rule)."""
    name, p = instrument.dataset, instrument.dataset
    if not context.has(name) and context.study.unread(name) is None:
        return pd.DataFrame(columns=list(EMPTY_RECORDS)).astype(EMPTY_RECORDS)
    needed = ["USUBJID", f"{p}TESTCD", f"{p}CAT", *([f"{p}DTC"] if dated else [])]
    frame = context.require_columns(name, *needed)
    chosen = upper_text(frame[f"{p}CAT"]).eq(instrument.category.upper())
    rows = frame[chosen.fillna(False)]
    text = _first_present(rows, [f"{p}STRESC", f"{p}ORRES"])
    value = pd.to_numeric(text, errors="coerce")
    if f"{p}STRESN" in rows.columns:
        stresn = context.numbers(name, f"{p}STRESN").loc[rows.index]
        value = stresn.where(stresn.notna(), value)
        text = text.where(text.notna(), rows[f"{p}STRESN"])
    table = pd.DataFrame(
        {
            "USUBJID": rows["USUBJID"],
            "TESTCD": upper_text(rows[f"{p}TESTCD"]),
            "TEXT": text,
            "VALUE": value.astype("float64"),
        },
        index=rows.index,
    )
    if dated:
        table = table.join(_record_days(context, name, f"{p}DTC").loc[rows.index])
    for column in ("VISITNUM", "VISIT"):
        if column in rows.columns:
            table[column] = rows[column]
    return table


def _record_days(context: StudyContext, name: str, column: str) -> pd.DataFrame:
    """LOW and HIGH protocol day of each record of `name`, and UNDATED: why it has none."""
    days = context.protocol_days(name, column)
    status = context.dates(name, column)["status"]
    why = pd.Series(None, index=days.index, dtype="object")
    why = why.mask(~days["has_day0"], "the subject has no Day 0")
    why = why.mask(status.eq("invalid"), f"{column} is not an ISO 8601 date")
    why = why.mask(status.eq("missing"), f"{column} is empty")
    return pd.DataFrame({"LOW": days["low"], "HIGH": days["high"], "UNDATED": why})


def scores_of(records: pd.DataFrame, testcd: str) -> pd.DataFrame:
    """The records of one test code that hold a number (a NOT DONE score is no score)."""
    return records[records["TESTCD"].eq(testcd.upper()).fillna(False) & records["VALUE"].notna()]


def records_by_instrument(
    context: StudyContext, endpoints: Endpoints, dated: bool = True
) -> dict[str, pd.DataFrame]:
    """Each instrument's records, by disease."""
    return {i.disease: instrument_records(context, i, dated) for i in endpoints.instruments}


def empty_instruments(
    endpoints: Endpoints,
    found: dict[str, pd.DataFrame],
    described: Callable[[Instrument], str] = lambda i: f"{i.dataset}CAT = {i.category}",
    lead: str = "no records of any endpoint instrument",
) -> list[str]:
    """A note for each instrument whose `found` records (by disease) are none, naming what
    was looked for (`described`); when none has any, the rule would check nothing: it does not
    run (the reason starts with `lead`)."""
    empty = [i for i in endpoints.instruments if found[i.disease].empty]
    if len(empty) == len(endpoints.instruments):
        raise NotRun(f"{lead} ({', '.join(map(described, empty))})")
    return [f"nothing checked for {i.name}: no records of {described(i)}" for i in empty]


def withdrawn_before(context: StudyContext, day: int) -> tuple[pd.Index, pd.Index, str | None]:
    """The subjects who left the study before protocol `day`: certainly, and perhaps (a
    DSSTDTC that is partial, empty or not ISO 8601); and a note when DS cannot say.  Leaving
    is a disposition event (DSCAT) other than COMPLETED, of the study participation where
    DSSCAT names it, and not followed by a COMPLETED one (one not certainly earlier)."""
    needed = ["USUBJID", "DSCAT", "DSDECOD", "DSSTDTC"]
    lacking = [c for c in needed if not context.has("DS") or c not in context.frame("DS")]
    if lacking:
        missing = "not supplied" if not context.has("DS") else f"lacks {', '.join(lacking)}"
        return pd.Index([]), pd.Index([]), f"DS {missing}: every subject is expected at the visit"
    ds = context.frame("DS")
    event = upper_text(ds["DSCAT"]).eq("DISPOSITION EVENT").fillna(False)
    if "DSSCAT" in ds and upper_text(ds["DSSCAT"]).eq(STUDY_PARTICIPATION).any():
        event &= upper_text(ds["DSSCAT"]).eq(STUDY_PARTICIPATION).fillna(False)
    completed = event & upper_text(ds["DSDECOD"]).eq(COMPLETED).fillna(False)
    days = context.protocol_days("DS", "DSSTDTC")
    left = event & ~completed & ds["DSDECOD"].notna() & ds["USUBJID"].notna()
    left &= ~_completed_after(ds["USUBJID"], days, completed)
    certain = left & (days["high"] < day).fillna(False)
    perhaps = left & ~certain & ((days["low"] < day) | (days["low"].isna() & days["has_day0"]))
    subjects = [pd.Index(ds.loc[m.fillna(False), "USUBJID"].unique()) for m in (certain, perhaps)]
    return subjects[0], subjects[1].difference(subjects[0]), None


def _completed_after(usubjid: pd.Series, days: pd.DataFrame, completed: pd.Series) -> pd.Series:
    """Per DS record: whether the subject has a COMPLETED record not certainly before it (one
    without a usable date counts as later)."""
    latest = days["high"].astype("float64").fillna(float("inf"))[completed]
    last_completed = looked_up(usubjid, latest.groupby(usubjid[completed]).max())
    starts = days["low"].astype("float64").fillna(float("-inf"))
    return (last_completed >= starts).fillna(False)


def require_some_dataset(context: StudyContext, endpoints: Endpoints) -> None:
    """Stop the rule when the transfer holds none of the instruments' datasets."""
    names = list(dict.fromkeys(i.dataset for i in endpoints.instruments))
    if not any(context.has(name) or context.study.unread(name) for name in names):
        raise NotRun(f"{' or '.join(names)} not supplied (the endpoint instruments' datasets)")


def _first_present(rows: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Per record, the first of `columns` that holds a value (missing where none does)."""
    result = pd.Series(pd.NA, index=rows.index, dtype="object")
    for column in reversed([c for c in columns if c in rows.columns]):
        result = rows[column].astype("object").where(rows[column].notna(), result)
    return result


def at_visit(records: pd.DataFrame, visit: Visit) -> tuple[pd.Series, pd.Index]:
    """Per USUBJID, the record number of its assessment at the visit: of its records certainly
    inside the window, the one nearest the visit day (the earlier on a tie); and, for the
    subjects without one, the records that may be inside: a partial date overlapping the
    window, or no protocol day at all (see UNDATED) where VISIT is the visit's or empty."""
    low, high = records["LOW"], records["HIGH"]
    inside = ((low >= visit.first_day) & (high <= visit.last_day)).fillna(False)
    overlaps = ((high >= visit.first_day) & (low <= visit.last_day)).fillna(False)
    maybe = (overlaps & ~inside) | (records["UNDATED"].notna() & _may_be_visit(records, visit))
    distance = ((low + high) / 2 - visit.day).abs().astype("float64")
    order = pd.DataFrame({"distance": distance, "low": low.astype("float64")})[inside]
    nearest = order.sort_values(["distance", "low"], kind="stable").index
    chosen = records.loc[nearest, "USUBJID"].drop_duplicates()
    by_subject = pd.Series(chosen.index, index=chosen.to_numpy())
    unsure = records.index[maybe.to_numpy() & ~records["USUBJID"].isin(by_subject.index)]
    return by_subject, unsure


def unplaced_reasons(records: pd.DataFrame, partial: str) -> dict[str, pd.Index]:
    """The record numbers of `records` (candidates of `at_visit`) by why their date cannot
    place them at the visit: their UNDATED reason, else `partial` (a partial date)."""
    reasons = records["UNDATED"].fillna(partial)
    return {reason: reasons.index[reasons.eq(reason)] for reason in reasons.unique()}


def _may_be_visit(records: pd.DataFrame, visit: Visit) -> pd.Series:
    """Whether each record's VISIT is the visit's name or empty (no VISIT: all may be)."""
    if "VISIT" not in records.columns:
        return pd.Series(True, index=records.index)
    named = upper_text(records["VISIT"])
    return (named.eq(visit.name.upper()) | named.isna() | named.eq("")).fillna(True)


def tied_subjects(records: pd.DataFrame, chosen: pd.Series) -> pd.Index:
    """The subjects whose record `chosen` at the visit (see `at_visit`) has another on the
    same day with a different VALUE."""
    picked = records.loc[chosen.to_numpy(), ["USUBJID", "LOW", "HIGH"]]
    same_day = records.merge(picked, on=["USUBJID", "LOW", "HIGH"])
    values = same_day.groupby("USUBJID")["VALUE"].nunique(dropna=False)
    return pd.Index(values.index[values > 1])


def baseline_values(records: pd.DataFrame, last_day: int) -> tuple[pd.Series, pd.Index]:
    """Per USUBJID, the value of its latest record dated certainly on or before `last_day`;
    and the subjects with two different values on that latest day (no baseline can be told)."""
    before = records[(records["HIGH"] <= last_day).fillna(False) & records["VALUE"].notna()]
    latest_day = before.groupby("USUBJID")["HIGH"].transform("max")
    on_latest = before[before["HIGH"].eq(latest_day)]
    values = on_latest.groupby("USUBJID")["VALUE"].nunique()
    latest = on_latest.drop_duplicates("USUBJID", keep="last")
    return latest.set_index("USUBJID")["VALUE"], pd.Index(values.index[values > 1])


def data_cutoff(context: StudyContext) -> tuple[pd.Timestamp | None, str]:
    """The data cut-off: TS DCUTDTC when the transfer has it, else the latest complete date
    recorded anywhere in it; with the words that say which."""
    if context.has("TS") and {"TSPARMCD", "TSVAL"} <= set(context.frame("TS").columns):
        ts = context.frame("TS")
        stated = ts.loc[ts["TSPARMCD"].eq("DCUTDTC").fillna(False), "TSVAL"].dropna()
        dates = pd.to_datetime(stated, errors="coerce", format="ISO8601").dropna()
        if len(dates):
            return dates.max(), "TS DCUTDTC"
    latest = context.latest_date
    return latest, "the latest date in the transfer"
