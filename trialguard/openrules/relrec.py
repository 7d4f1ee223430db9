"""Match Datasets on RELREC, as CORE merges it: each record of the checked domain with the
records RELREC relates it to in other domains (a record-level link by IDVAR/IDVARVAL, a
dataset-level one by equal IDVAR values of the subject), their columns named `RELREC.X`
(`RELREC.**TERM` for a model variable of the related domain, or the Wildcard given in place of
`**`).  A record related to nothing drops out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from trialguard.openrules.frame import as_text
from trialguard.openrules.model import Match
from trialguard.openrules.scope import DatasetInfo
from trialguard.sdtm.model import CLASS_MODELS
from trialguard.validators.context import StudyContext

RECORD = "record"
FRAGMENTS = {f for model in CLASS_MODELS.values() for f in model.fragments()}
PAIR = ["USUBJID", "RELID"]


def relrec_merged(
    match: Match,
    context: StudyContext,
    current: DatasetInfo,
    infos: Sequence[DatasetInfo],
    data: pd.DataFrame,
) -> pd.DataFrame:
    """The records RELREC relates to each record, joined on (records without one drop out)."""
    relrec = context.frame("RELREC") if "RELREC" in context.study.datasets else None
    if relrec is None or not {"RDOMAIN", "IDVAR", "IDVARVAL", *PAIR} <= set(relrec.columns):
        return data
    links = pd.DataFrame({c: as_text(relrec[c]).to_numpy() for c in relrec.columns})
    mine = links[links["RDOMAIN"] == current.domain]
    pairs = mine.merge(links[links["RDOMAIN"] != current.domain], on=PAIR, suffixes=("", "_R"))
    firsts = {i.domain: i for i in reversed(infos) if i.domain}
    parts = []
    for (domain, idvar, idvar_r), group in pairs.groupby(["RDOMAIN_R", "IDVAR", "IDVAR_R"]):
        if domain not in firsts or idvar not in data.columns:
            continue
        right = context.frame(firsts[domain].name)
        if idvar_r not in right.columns or "USUBJID" not in right.columns:
            continue
        named = renamed(right, str(domain), match.wildcard or "**")
        named = named.assign(__s=as_text(right["USUBJID"]), __k=as_text(right[idvar_r]))
        parts.append(linked(data, named, group, str(idvar)))
    return pd.concat(parts) if parts else data.iloc[:0]


def renamed(right: pd.DataFrame, domain: str, wildcard: str) -> pd.DataFrame:
    """The related dataset's columns as `RELREC.X` (a model variable's prefix the wildcard)."""

    def name(column: str) -> str:
        model = "--" + column[len(domain) :] if column.startswith(domain) else ""
        return (
            f"RELREC.{wildcard}{column[len(domain) :]}"
            if model in FRAGMENTS
            else f"RELREC.{column}"
        )

    return right.rename(columns={c: name(str(c)) for c in right.columns})


def linked(data: pd.DataFrame, other: pd.DataFrame, pairs: pd.DataFrame, idvar: str) -> Any:
    """The records of `data` joined with those of `other` (its subject and IDVAR value in
    `__s` and `__k`) the RELREC pairs relate."""
    left = data.reset_index().assign(__s=as_text(data["USUBJID"]).to_numpy())
    left["__k"] = as_text(data[idvar]).to_numpy()
    whole = pairs[(pairs["IDVARVAL"] == "") | (pairs["IDVARVAL_R"] == "")]
    exact = pairs.drop(whole.index)
    joined = []
    if len(whole):
        subjects = (
            left if (whole["USUBJID"] == "").any() else left[left["__s"].isin(whole["USUBJID"])]
        )
        joined.append(subjects.merge(other, on=["__s", "__k"]))
    if len(exact):
        keys = exact.rename(columns={"USUBJID": "__s", "IDVARVAL": "__k", "IDVARVAL_R": "__r"})
        anyone = keys["__s"] == ""  # a link of every subject's records
        both = pd.concat(
            [
                left.merge(keys.loc[~anyone, ["__s", "__k", "__r"]], on=["__s", "__k"]),
                left.merge(keys.loc[anyone, ["__k", "__r"]], on="__k"),
            ]
        )
        joined.append(both.merge(other.rename(columns={"__k": "__r"}), on=["__s", "__r"]))
    table = pd.concat(joined) if joined else left.iloc[:0]
    return table.drop(columns=[c for c in table.columns if str(c).startswith("__")]).set_index(
        RECORD
    )
