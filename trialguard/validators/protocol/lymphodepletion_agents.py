"""Lymphodepletion agents match the subject's arm (CY: cyclophosphamide; FC: fludarabine +
cyclophosphamide; NOLD: none).

Params: arms (LD code of the arm code -> agents, EXTRT names), arm_variable,
arm_pattern.  Findings, for subjects given the cell product: an EX record of
an agent the arm does not give; the DM record of a subject missing an agent
its arm gives, or whose arm names no lymphodepletion code of the spec.
"""

from __future__ import annotations

import pandas as pd

from trialguard.validators.outcome import Outcome
from trialguard.validators.protocol.arms import ArmParams, subject_arms, treated_subjects
from trialguard.validators.registry import register
from trialguard.validators.select import select


class Params(ArmParams):
    arms: dict[str, list[str]]


@register("lymphodepletion_agents", params=Params, message="arm {arm}: {problem}")
def check_lymphodepletion_agents(context, params: Params):
    """Lymphodepletion agents match the arm."""
    ex = context.require_columns("EX", "USUBJID", "EXTRT")
    arms = subject_arms(context, params)
    treated = arms.loc[arms.index.intersection(treated_subjects(context))]
    outcome = Outcome()
    outcome.add(_unexpected_agents(ex, treated, params))
    outcome.add(_missing_agents(context, ex, treated, params))
    outcome.add(_unknown_arms(context, treated, params))
    return outcome


def _allowed_pairs(params: Params) -> pd.DataFrame:
    pairs = [(ld, agent) for ld, agents in params.arms.items() for agent in agents]
    return pd.DataFrame(pairs, columns=["ld", "EXTRT"])


def _unexpected_agents(ex, treated, params: Params):
    every_agent = {agent for agents in params.arms.values() for agent in agents}
    ld = ex["USUBJID"].map(treated["ld"])
    given = pd.MultiIndex.from_arrays([ld, ex["EXTRT"]])
    allowed = pd.MultiIndex.from_frame(_allowed_pairs(params)[["ld", "EXTRT"]])
    unexpected = ex["EXTRT"].isin(every_agent) & ld.isin(params.arms) & ~given.isin(allowed)
    extra = {"arm": ex["USUBJID"].map(treated["arm"])}
    return select(
        "EX",
        ex,
        pd.Series(unexpected, index=ex.index),
        ["EXTRT"],
        extra,
        problem="this lymphodepletion agent is not part of the arm",
    )


def _missing_agents(context, ex, treated, params: Params):
    expected = treated.reset_index().merge(_allowed_pairs(params), on="ld")
    given = ex[["USUBJID", "EXTRT"]].drop_duplicates()
    merged = expected.merge(given, on=["USUBJID", "EXTRT"], how="left", indicator=True)
    missing = merged[merged["_merge"] == "left_only"]
    per_subject = missing.groupby("USUBJID")["EXTRT"].agg(lambda s: ", ".join(sorted(s)))
    dm = context.frame("DM")
    subject = dm["USUBJID"]
    extra = {"arm": subject.map(treated["arm"]), "missing_agents": subject.map(per_subject)}
    records = treated.loc[per_subject.index, "record"]
    problem = "the arm's lymphodepletion agents were not all given"
    return _dm_hits(dm, records, params, extra, problem)


def _unknown_arms(context, treated, params: Params):
    dm = context.frame("DM")
    records = treated.loc[~treated["ld"].isin(params.arms), "record"]
    problem = f"the arm code does not name a lymphodepletion arm ({', '.join(params.arms)})"
    return _dm_hits(dm, records, params, {"arm": dm[params.arm_variable]}, problem)


def _dm_hits(dm, records, params: Params, extra, problem: str):
    """The DM records of the given subjects, showing their arm code."""
    mask = pd.Series(dm.index.isin(records), index=dm.index)
    return select("DM", dm, mask, [params.arm_variable], extra, problem=problem)
