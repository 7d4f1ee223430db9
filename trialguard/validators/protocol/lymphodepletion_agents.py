"""Lymphodepletion agents match the subject's arm (CY: cyclophosphamide; FC: fludarabine +
cyclophosphamide; NOLD: none).

Params: arms (LD code of the arm code -> agents, EXTRT names), arm_variable,
arm_pattern.  Findings, for subjects given the cell product: an EX record of
an agent the arm does not give; the DM record of a subject missing an agent
its arm gives, or whose arm names no lymphodepletion code of the spec.  The
message names the arm and the agent given or missing, beside the arm's agents.
"""

from __future__ import annotations

import pandas as pd

from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Hits, Outcome
from trialguard.validators.protocol.arms import ArmParams, subject_arms, treated_subjects
from trialguard.validators.registry import register
from trialguard.validators.select import select


class Params(ArmParams):
    arms: dict[str, list[str]]


@register("lymphodepletion_agents", params=Params, message="arm {arm}: {problem}")
def check_lymphodepletion_agents(context: StudyContext, params: Params) -> Outcome:
    """Lymphodepletion agents match the arm."""
    ex = context.require_columns("EX", "USUBJID", "EXTRT")
    arms = subject_arms(context, params)
    treated = arms.loc[arms.index.intersection(treated_subjects(context))]
    outcome = Outcome()
    for hits in [
        *_unexpected_agents(ex, treated, params),
        *_missing_agents(context, ex, treated, params),
        _unknown_arms(context, treated, params),
    ]:
        outcome.add(hits)
    return outcome


def _allowed_pairs(params: Params) -> pd.DataFrame:
    pairs = [(ld, agent) for ld, agents in params.arms.items() for agent in agents]
    return pd.DataFrame(pairs, columns=["ld", "EXTRT"])


def _unexpected_agents(ex, treated, params: Params) -> list[Hits]:
    every_agent = {agent for agents in params.arms.values() for agent in agents}
    ld = ex["USUBJID"].map(treated["ld"])
    given = pd.MultiIndex.from_arrays([ld, ex["EXTRT"]])
    allowed = pd.MultiIndex.from_frame(_allowed_pairs(params)[["ld", "EXTRT"]])
    unexpected = ex["EXTRT"].isin(every_agent) & ld.isin(params.arms) & ~given.isin(allowed)
    chosen = pd.DataFrame({"ld": ld, "agents": ex["EXTRT"]})[unexpected]
    extra = {"arm": ex["USUBJID"].map(treated["arm"])}
    problem = "{agents} is not a lymphodepletion agent of the arm (the arm gives {regimen})"
    return _per_agents("EX", ex, chosen, ["EXTRT"], extra, problem, params)


def _missing_agents(context, ex, treated, params: Params) -> list[Hits]:
    expected = treated.reset_index().merge(_allowed_pairs(params), on="ld")
    given = ex[["USUBJID", "EXTRT"]].drop_duplicates()
    merged = expected.merge(given, on=["USUBJID", "EXTRT"], how="left", indicator=True)
    missing = merged[merged["_merge"] == "left_only"]
    per_subject = missing.groupby("USUBJID")["EXTRT"].agg(lambda s: ", ".join(sorted(s)))
    dm = context.frame("DM")
    subject = dm["USUBJID"]
    extra = {"arm": subject.map(treated["arm"]), "missing_agents": subject.map(per_subject)}
    lacking = treated.loc[per_subject.index]
    chosen = pd.DataFrame(
        {"ld": lacking["ld"].to_numpy(), "agents": per_subject.to_numpy()},
        index=lacking["record"].to_numpy(),
    )
    problem = "lymphodepletion agent of the arm not given: {agents} (the arm gives {regimen})"
    return _per_agents("DM", dm, chosen, [params.arm_variable], extra, problem, params)


def _per_agents(domain, frame, chosen, variables, extra, problem: str, params) -> list[Hits]:
    """One Hits per arm code and agents among `chosen` (by record), its problem naming them."""
    return [
        select(
            domain,
            frame,
            pd.Series(frame.index.isin(group.index), index=frame.index),
            variables,
            extra,
            problem=problem.format(agents=agents, regimen=_regimen(params.arms[ld])),
        )
        for (ld, agents), group in chosen.groupby(["ld", "agents"], sort=True)
    ]


def _regimen(agents: list[str]) -> str:
    return ", ".join(agents) if agents else "no lymphodepletion"


def _unknown_arms(context, treated, params: Params) -> Hits:
    dm = context.frame("DM")
    records = treated.loc[~treated["ld"].isin(params.arms), "record"]
    problem = f"the arm code does not name a lymphodepletion arm ({', '.join(params.arms)})"
    mask = pd.Series(dm.index.isin(records), index=dm.index)
    extra = {"arm": dm[params.arm_variable]}
    return select("DM", dm, mask, [params.arm_variable], extra, problem=problem)
