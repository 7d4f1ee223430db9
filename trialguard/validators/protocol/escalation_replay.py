"""Replay of a 3+3 dose escalation from DM, EX and DLT: the per-level decision table.

Subjects are ordered by Day 0 within each level (and each lymphodepletion
ladder when the spec escalates them separately).  A subject is evaluable once
it has a DLT or its DLT window has ended by the data cut.  Per level, the
deciding cohort is the first 3 subjects, or the first 6 after one DLT:

    0 of 3 with a DLT -> escalate    1 of 3 -> expand to 6
    at most 1 of 6    -> escalate    2 or more -> stop (level too toxic)

The decision date is when the cohort's last DLT window closed (escalate) or
the onset of the second DLT (stop).  Loops run over levels, never rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from pydantic import Field

from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import NotRun
from trialguard.validators.protocol.arms import ArmParams, subject_arms
from trialguard.validators.protocol.dlt_window import dlt_window

ESCALATE, EXPAND, STOP, PENDING, EMPTY = "escalate", "expand to 6", "stop", "pending", "no subjects"


class EscalationParams(ArmParams):
    levels: list[str] = Field(min_length=1)
    doses: dict[str, float] | None = None
    separate_ld_arms: bool = False
    cohort_sizes: list[int] = Field(default=[3, 6], min_length=1)
    data_cut: date | None = None


@dataclass(frozen=True)
class Replay:
    subjects: pd.DataFrame  # one row per treated subject: ladder, level, day0, completion, dlt, ...
    table: pd.DataFrame  # one row per ladder and level


def replay(context: StudyContext, params: EscalationParams) -> Replay:
    key = ("escalation", params.model_dump_json())
    if key not in context.cache:
        subjects = escalation_subjects(context, params)
        table = pd.DataFrame(
            [
                row
                for ladder, group in _ladders(subjects, params)
                for row in _decide_ladder(ladder, group, params)
            ]
        )
        context.cache[key] = Replay(subjects, table)
    cached = context.cache[key]
    assert isinstance(cached, Replay)
    return cached


def escalation_subjects(context: StudyContext, params: EscalationParams) -> pd.DataFrame:
    """Treated subjects with their level, Day 0, DLT status and the date their window closed."""
    window = dlt_window(context)
    product = context.product_records()
    first = (
        product.reset_index().sort_values("record").drop_duplicates("USUBJID").set_index("USUBJID")
    )
    arms = subject_arms(context, params).reindex(first.index)
    day0 = context.day0.reindex(first.index)
    table = pd.DataFrame(
        {
            "record": first["record"],
            "level": arms["level"],
            "ld": arms["ld"],
            "day0": day0,
            "dlt_date": _first_dlt(context, window).reindex(first.index),
        }
    )
    table["window_end"] = table["day0"] + pd.Timedelta(days=window.last_day)
    cut = pd.Timestamp(params.data_cut) if params.data_cut else _data_cut(context)
    table["dlt"] = table["dlt_date"].notna()
    table["evaluable"] = table["dlt"] | (table["window_end"] <= cut)
    table["completion"] = table["dlt_date"].fillna(table["window_end"])
    table["ladder"] = table["ld"].fillna("?") if params.separate_ld_arms else "all"
    if params.doses:
        table["dose_level"] = _dose_levels(context, first, params.doses)
    planned = table["day0"].notna() & table["level"].isin(params.levels)
    return table[planned].sort_values(["ladder", "day0", "record"])


def _first_dlt(context: StudyContext, window) -> pd.Series:
    """Earliest DLT onset inside the DLT window, per subject."""
    if not context.has("DL"):
        raise NotRun("DLT dataset not supplied: the escalation cannot be replayed")
    dl = context.require_columns("DL", "USUBJID", "DLSTDTC")
    days = context.protocol_days("DL", "DLSTDTC")
    inside = (days["low"] >= window.first_day) & (days["high"] <= window.last_day)
    onset = context.dates("DL", "DLSTDTC")["earliest"].dt.normalize()
    return onset[inside.fillna(False)].groupby(dl["USUBJID"]).min()


def _data_cut(context: StudyContext) -> pd.Timestamp:
    """The latest complete date anywhere in the transfer."""
    latest = [
        context.dates(name, column)["date"].max()
        for name, dataset in context.study.datasets.items()
        for column in dataset.frame.columns
        if column.endswith("DTC")
    ]
    latest = [d for d in latest if pd.notna(d)]
    return max(latest) if latest else pd.Timestamp.max


def after_data_cut(context: StudyContext, data_cut: date | None) -> list[str]:
    """A note per dataset holding records dated after the spec's data cut (none without one):
    such records are in the transfer but outside what the replay judges."""
    if data_cut is None:
        return []
    cut = pd.Timestamp(data_cut)
    notes = []
    for name, dataset in sorted(context.study.datasets.items()):
        dated = [c for c in dataset.frame.columns if c.endswith("DTC")]
        after = {c: context.dates(name, c)["earliest"].dt.normalize() > cut for c in dated}
        later = pd.DataFrame(after, index=dataset.frame.index).any(axis=1) if after else None
        if later is not None and later.any():
            columns = ", ".join(c for c, mask in after.items() if mask.any())
            notes.append(
                f"{name}: {int(later.sum()):,} record(s) dated after the data cut "
                f"{data_cut.isoformat()} ({columns}); the replay judges the study as of the cut"
            )
    return notes


def _dose_levels(context, first: pd.DataFrame, doses: dict[str, float]) -> pd.Series:
    by_dose = {dose: level for level, dose in doses.items()}
    given = context.numbers("EX", "EXDOSE").loc[first["record"]] if "EXDOSE" in first else None
    return pd.Series(
        given.map(by_dose).to_numpy() if given is not None else None, index=first.index
    )


def _ladders(subjects: pd.DataFrame, params: EscalationParams):
    ladders = sorted(subjects["ladder"].unique()) or ["all"]
    for ladder in ladders:
        yield ladder, subjects[subjects["ladder"] == ladder]


def _decide_ladder(ladder: str, subjects: pd.DataFrame, params: EscalationParams) -> list[dict]:
    return [
        _decide_level(ladder, level, subjects[subjects["level"] == level], params)
        for level in params.levels
    ]


def _decide_level(ladder: str, level: str, group: pd.DataFrame, params: EscalationParams) -> dict:
    row = {
        "ladder": ladder,
        "level": level,
        "subjects": len(group),
        "evaluable": int(group["evaluable"].sum()),
        "with_dlt": int(group["dlt"].sum()),
    }
    decision, when, cohort = _decision(group, params)
    return row | {
        "cohort": cohort,
        "decision": decision,
        "decision_date": when.date().isoformat() if when is not None else None,
    }


def _decision(group: pd.DataFrame, params: EscalationParams):
    if group.empty:
        return EMPTY, None, 0
    sizes = sorted(params.cohort_sizes)
    for position, size in enumerate(sizes):
        cohort = group.head(size)
        dlt_dates = cohort["dlt_date"].dropna().sort_values()
        if len(dlt_dates) >= 2:
            return STOP, dlt_dates.iloc[1], size
        if len(cohort) < size or not cohort["evaluable"].all():
            return PENDING if position == 0 else EXPAND, None, size
        if len(dlt_dates) == 0 or position > 0:
            return ESCALATE, cohort["completion"].max(), size
    return EXPAND, None, sizes[-1]


def implied_dose(table: pd.DataFrame, levels: list[str]) -> str:
    """The MTD or MAD the decision table implies, in words."""
    decisions = dict(zip(table["level"], table["decision"], strict=True))
    cohorts = dict(zip(table["level"], table["cohort"], strict=True))
    for index, level in enumerate(levels):
        if decisions[level] == STOP:
            if index == 0:
                return f"no MTD among the planned levels: {level} already had 2 or more DLTs"
            below = levels[index - 1]
            if cohorts[below] >= 6:
                return f"MTD is {below} ({level} had 2 or more DLTs)"
            return (
                f"MTD candidate {below} needs 6 evaluable subjects to confirm "
                f"({level} had 2 or more DLTs)"
            )
        if decisions[level] in (PENDING, EXPAND, EMPTY):
            state = {
                PENDING: "is pending",
                EXPAND: "is expanding to 6",
                EMPTY: "has no subject yet",
            }
            cleared = f"; highest level cleared: {levels[index - 1]}" if index else ""
            return f"escalation not finished: {level} {state[decisions[level]]}{cleared}"
    return f"MAD is {levels[-1]}: the top level cleared, MTD not reached"
