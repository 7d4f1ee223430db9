"""The 3+3 dose escalation was followed: replayed from DM, EX and DLT (see escalation_replay).

Params: levels (in order), doses (level -> dose, to compare each exposure's
dose level with the arm's), separate_ld_arms (each lymphodepletion arm is its
own ladder), cohort_sizes, data_cut (default: the latest date in the transfer).
Findings, on the subject's cell-product exposure record:
- dosed at a level before the deciding cohort of the level below had completed
  its DLT window with an escalation-compatible DLT count;
- dosed at a level after the level below had 2 or more subjects with a DLT;
- more subjects at a level than the largest cohort the design allows;
- dosed at a level whose lower level had no subject (a skipped level);
- the exposure's dose is another level's dose than the arm's.
The decision table and the MTD or MAD it implies (a note per ladder, not a
finding) are part of the rule's result.
"""

from __future__ import annotations

import pandas as pd

from trialguard.validators.outcome import Outcome
from trialguard.validators.protocol.escalation_replay import (
    EMPTY,
    ESCALATE,
    STOP,
    EscalationParams,
    implied_dose,
    replay,
)
from trialguard.validators.registry import register
from trialguard.validators.select import select


@register("escalation_3plus3", params=EscalationParams, message="{level}: {problem}")
def check_escalation_3plus3(context, params: EscalationParams):
    """The 3+3 dose escalation was followed."""
    result = replay(context, params)
    subjects = _with_level_below(result.subjects, result.table, params)
    ex = context.frame("EX")
    outcome = Outcome(table=result.table.to_dict("records"), notes=_implied(result.table, params))
    for problem, mask in _problems(subjects, params).items():
        records = subjects.loc[mask, "record"]
        extra = {
            name: subjects.set_index("record")[name].reindex(ex.index)
            for name in ("level", "ladder", "level_below", "below_decision", "below_date")
        }
        chosen = pd.Series(ex.index.isin(records), index=ex.index)
        outcome.add(select("EX", ex, chosen, ["EXSTDTC"], extra, problem=problem))
    return outcome


def _with_level_below(subjects: pd.DataFrame, table: pd.DataFrame, params) -> pd.DataFrame:
    position = {level: index for index, level in enumerate(params.levels)}
    below = pd.DataFrame(
        {
            "ladder": table["ladder"],
            "position": table["level"].map(position) + 1,
            "level_below": table["level"],
            "below_decision": table["decision"],
            "below_date": pd.to_datetime(table["decision_date"]),
        }
    )
    frame = subjects.reset_index().assign(position=subjects["level"].map(position).to_numpy())
    merged = frame.merge(below, on=["ladder", "position"], how="left")
    merged["rank"] = merged.groupby(["ladder", "level"]).cumcount() + 1
    merged["below_date"] = merged["below_date"].dt.date.astype("string")
    return merged


def _problems(s: pd.DataFrame, params: EscalationParams) -> dict[str, pd.Series]:
    has_below = s["level_below"].notna()
    decided = pd.to_datetime(s["below_date"])
    cleared = (s["below_decision"] == ESCALATE) & (s["day0"] > decided)
    stopped_before = (s["below_decision"] == STOP) & (s["day0"] > decided)
    problems = {
        "dosed before the level below had cleared its DLT window": has_below
        & ~cleared
        & ~stopped_before
        & (s["below_decision"] != EMPTY),
        "dosed after the level below had 2 or more subjects with a DLT": has_below & stopped_before,
        f"more subjects than the design allows ({max(params.cohort_sizes)})": s["rank"]
        > max(params.cohort_sizes),
        "the level below was skipped (no subject dosed there)": has_below
        & (s["below_decision"] == EMPTY),
    }
    if "dose_level" in s.columns:
        problems["the dose given is another level's dose"] = s["dose_level"].notna() & (
            s["dose_level"] != s["level"]
        )
    return problems


def _implied(table: pd.DataFrame, params: EscalationParams) -> list[str]:
    return [
        f"ladder {ladder}: {implied_dose(rows, params.levels)}"
        for ladder, rows in table.groupby("ladder", sort=True)
    ]
