"""The 3+3 dose escalation was followed: replayed from DM, EX and DLT (see escalation_replay).

Params: levels (in order), doses (level -> dose, to compare each exposure's
dose level with the arm's), separate_ld_arms (each lymphodepletion arm is its
own ladder), cohort_sizes, data_cut (default: the latest date in the transfer; when
given, each dataset with records dated after it gets a note).
Findings, on the subject's cell-product exposure record:
- dosed at a level before the deciding cohort of the level below had completed
  its DLT window with an escalation-compatible DLT count;
- dosed at a level after the level below had 2 or more subjects with a DLT;
- dosed at a level after it had stopped (2 or more subjects with a DLT), beyond
  its deciding cohort: a stopped level takes no further subject, the design
  expands the level below it (the MTD candidate) instead;
- more subjects at a level than the largest cohort the design allows;
- dosed at a level whose lower level had no subject (a skipped level);
- the exposure's dose is another level's dose than the arm's.
Each finding shows the subject's level (and ladder, with separate ladders) and
only those derived values that explain it and are set for it.
The decision table and the MTD or MAD it implies (a note per ladder, not a
finding) are part of the rule's result.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Hits, Outcome
from trialguard.validators.protocol.escalation_replay import (
    EMPTY,
    ESCALATE,
    STOP,
    EscalationParams,
    after_data_cut,
    implied_dose,
    replay,
)
from trialguard.validators.registry import register
from trialguard.validators.select import select
from trialguard.validators.wording import escaped

BELOW = ["level_below", "below_decision", "below_date"]
DETAILS = {  # a derived column a finding shows, and how its message names it
    "level_below": "the level below {level_below}",
    "below_decision": "decided {below_decision}",
    "below_date": "on {below_date}",
    "stopped_on": "this level stopped on {stopped_on}",
    "dose_level": "the dose is {dose_level}'s",
}


@register("escalation_3plus3", params=EscalationParams, message="{level}: {problem}")
def check_escalation_3plus3(context: StudyContext, params: EscalationParams) -> Outcome:
    """The 3+3 dose escalation was followed."""
    result = replay(context, params)
    subjects = _with_levels(result.subjects, result.table, params)
    ex = context.frame("EX")
    table = [{str(k): v for k, v in row.items()} for row in result.table.to_dict("records")]
    notes = _implied(result.table, params) + after_data_cut(context, params.data_cut)
    outcome = Outcome(table=table, notes=notes)
    always = ["level", "ladder"] if params.separate_ld_arms else ["level"]
    for problem, (mask, shown) in _problems(subjects, params).items():
        for group, columns in _filled_groups(subjects[mask], always + shown):
            outcome.add(_hits(ex, group, columns, problem))
    return outcome


def _with_levels(subjects: pd.DataFrame, table: pd.DataFrame, params) -> pd.DataFrame:
    """Each subject with its rank at its level, its level's decision and the level below's."""
    position = {level: index for index, level in enumerate(params.levels)}
    levels = table.assign(
        position=table["level"].map(position), decided=pd.to_datetime(table["decision_date"])
    )
    own = levels[["ladder", "position", "decision", "cohort", "decided"]]
    below = levels[["ladder", "position", "level", "decision", "decided"]].rename(
        columns={"level": "level_below", "decision": "below_decision", "decided": "below_decided"}
    )
    below["position"] += 1
    frame = subjects.reset_index().assign(position=subjects["level"].map(position).to_numpy())
    frame = frame.merge(own, on=["ladder", "position"], how="left")
    frame = frame.merge(below, on=["ladder", "position"], how="left")
    frame["rank"] = frame.groupby(["ladder", "level"]).cumcount() + 1
    frame["below_date"] = _date_text(frame["below_decided"])
    frame["stopped_on"] = _date_text(frame["decided"].where(frame["decision"] == STOP))
    return frame


def _date_text(dates: pd.Series) -> pd.Series:
    return dates.dt.date.astype("string")


def _problems(s: pd.DataFrame, params: EscalationParams) -> dict[str, tuple[pd.Series, list]]:
    """Per problem: the subjects that have it and the derived columns that explain it."""
    largest = max(params.cohort_sizes)
    has_below = s["level_below"].notna()
    after_below = s["day0"] > s["below_decided"]
    cleared = (s["below_decision"] == ESCALATE) & after_below
    below_stopped = has_below & (s["below_decision"] == STOP) & after_below
    skipped = has_below & (s["below_decision"] == EMPTY)
    stopped = (s["decision"] == STOP) & (s["day0"] > s["decided"]) & (s["rank"] > s["cohort"])
    problems = {
        "dosed before the level below had cleared its DLT window": (
            has_below & ~cleared & ~below_stopped & ~skipped,
            BELOW,
        ),
        "dosed after the level below had 2 or more subjects with a DLT": (below_stopped, BELOW),
        "dosed after this level had stopped (2 or more subjects with a DLT)": (
            stopped,
            ["stopped_on"],
        ),
        f"more subjects than the design allows ({largest})": (s["rank"] > largest, []),
        "the level below was skipped (no subject dosed there)": (skipped, ["level_below"]),
    }
    if "dose_level" in s.columns:
        other_dose = s["dose_level"].notna() & (s["dose_level"] != s["level"])
        problems["the dose given is another level's dose"] = (other_dose, ["dose_level"])
    return problems


def _filled_groups(rows: pd.DataFrame, columns: list[str]) -> Iterator[tuple[pd.DataFrame, list]]:
    """`rows` split by which `columns` are set, each part with only the columns set in it."""
    filled = rows[columns].notna()
    for pattern, group in rows.groupby([filled[c] for c in columns], sort=False):
        yield group, [c for c, is_set in zip(columns, pattern, strict=True) if is_set]


def _hits(ex: pd.DataFrame, group: pd.DataFrame, columns: list[str], problem: str) -> Hits:
    """The EX records of `group`'s subjects, showing the derived `columns`."""
    by_record = group.set_index("record")
    extra = {name: by_record[name].reindex(ex.index) for name in columns}
    chosen = pd.Series(ex.index.isin(group["record"]), index=ex.index)
    hits = select("EX", ex, chosen, ["EXSTDTC"], extra, problem=problem)
    said = ["EXSTDTC {EXSTDTC}", " ".join(DETAILS[c] for c in columns if c in BELOW)]
    said += [DETAILS[c] for c in columns if c in DETAILS and c not in BELOW]
    hits.message = f"{{level}}: {escaped(problem)}: " + ", ".join(s for s in said if s)
    return hits


def _implied(table: pd.DataFrame, params: EscalationParams) -> list[str]:
    return [
        f"ladder {ladder}: {implied_dose(rows, params.levels)}"
        for ladder, rows in table.groupby("ladder", sort=True)
    ]
