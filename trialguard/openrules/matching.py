"""Match Datasets, as CORE merges them onto the table a rule checks.

* A plain domain (DM, SE, TV): an inner join on the keys, kept as row positions (see
  `trialguard.openrules.domains`).
* SUPP-- / SUPPAE: the qualifiers pivoted (a column per QNAM holding QVAL) and left-joined on
  the subject keys and the record the IDVAR/IDVARVAL pair points at.
* A dataset the study lacks is not merged (the Check then misses its columns).

The table keeps the checked dataset's record numbers as its index.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

import pandas as pd

from trialguard.openrules.domains import domain_merged
from trialguard.openrules.frame import MissingVariable, as_text
from trialguard.openrules.joined import Joined, Table, as_frame
from trialguard.openrules.model import Match, OpenRule
from trialguard.openrules.relrec import relrec_merged
from trialguard.openrules.scope import DatasetInfo
from trialguard.validators.context import StudyContext

RECORD = "record"
SUBJECT_KEYS = ("STUDYID", "USUBJID", "APID", "POOLID", "SPDEVID")


def matched(
    rule: OpenRule,
    context: StudyContext,
    current: DatasetInfo,
    infos: Sequence[DatasetInfo],
    data: Table,
) -> Table:
    """`data` with the datasets of the rule's Match Datasets merged on, in order (a plain
    domain as row positions, the others as tables)."""
    targets = referenced(rule.check)
    for match in rule.matches:
        if match.child:
            data = child_merged(match, context, current, infos, data)
            continue
        if match.name == current.unsplit:
            continue
        for other in candidates(match, current, infos):
            right = context.frame(other.name)
            if match.name == "RELREC":
                data = relrec_merged(match, context, current, infos, as_frame(data))
            elif match.name.startswith(("SUPP", "SQ")):
                data = supp_merged(as_frame(data), right)
            else:
                left = joined(context, current, data)
                codes = partial(context.distinct, other.name)
                data = domain_merged(match, current, left, right, targets, codes)
    return data


def joined(context: StudyContext, current: DatasetInfo, data: Table) -> Joined:
    """The table as a join (of the dataset as read: with its columns' run codes)."""
    if isinstance(data, Joined):
        return data
    own = current.name in context.study.datasets and data is context.frame(current.name)
    return Joined.of(data, partial(context.distinct, current.name) if own else None)


def candidates(match: Match, current: DatasetInfo, infos: Sequence[DatasetInfo]) -> list[Any]:
    """The study's datasets a Match Datasets entry names (one per dataset name)."""
    if match.name in ("SUPP--", "SQ--") and not current.is_supp:
        found = [i for i in infos if i.is_supp and i.rdomain == current.domain]
    else:
        found = [i for i in infos if match.name in (i.domain, i.name, i.unsplit)]
    return found[:1] if match.name == "RELREC" else found


def referenced(check: Any) -> set[str]:
    """Every name and text value a Check tree gives (CORE's rule targets)."""
    if isinstance(check, list):
        return set().union(*(referenced(item) for item in check)) if check else set()
    if isinstance(check, dict):
        for key in ("all", "any", "not"):
            if key in check:
                return referenced(check[key])
        values = [check.get("name"), check.get("value")]
        return {str(v) for v in values if isinstance(v, str)}
    return set()


def supp_merged(left: pd.DataFrame, supp: pd.DataFrame) -> pd.DataFrame:
    """The qualifiers of SUPP-- as columns of their parent records (a left join)."""
    needed = {"QNAM", "QVAL", "IDVAR", "IDVARVAL"}
    if not needed <= set(supp.columns):
        return left
    keys = [k for k in SUBJECT_KEYS if k in supp.columns and k in left.columns]
    idvar = as_text(supp["IDVAR"])
    for name in idvar.unique():
        part = supp[(idvar == name).to_numpy()]
        link = keys + ([name] if name else [])
        if name and name not in left.columns:
            continue
        pivot = pivoted(part, keys, name)
        left_on = {f"__key{i}": as_text(left[k]).to_numpy() for i, k in enumerate(link)}
        right_on = {f"__key{i}": as_text(pivot[k]).to_numpy() for i, k in enumerate(link)}
        right = pivot.drop(columns=link).assign(**right_on)
        right = right.rename(columns={c: f"{c}_supp" for c in right.columns if c in left.columns})
        joined = left.reset_index().assign(**left_on).merge(right, "left", on=list(left_on))
        left = joined.drop(columns=list(left_on)).set_index(RECORD)
    return left


def pivoted(part: pd.DataFrame, keys: list[str], idvar: str) -> pd.DataFrame:
    """One row per parent record (keys and IDVARVAL under the IDVAR's name), a column per
    QNAM holding its QVAL."""
    index = keys + ["IDVARVAL"]
    table = part[[*index, "QNAM", "QVAL"]].astype(object).fillna("")
    wide = table.pivot_table(index=index, columns="QNAM", values="QVAL", aggfunc="first")
    wide = wide.reset_index().rename_axis(columns=None)
    return wide.rename(columns={"IDVARVAL": idvar}) if idvar else wide.drop(columns="IDVARVAL")


def child_merged(
    match: Match,
    context: StudyContext,
    current: DatasetInfo,
    infos: Sequence[DatasetInfo],
    data: Table,
) -> Table:
    """The parent records of a SUPP--, CO or RELREC record joined onto it (`Child: true`):
    the record IDVAR/IDVARVAL points at (the subject's first without them); the parent's
    values take the place of the child's."""
    parents = parent_datasets(match, current, infos, data)
    linked = {"IDVAR", "IDVARVAL"} <= set(match.keys)
    for parent in parents:
        table = context.frame(parent.name)
        if not linked:
            data = domain_merged(
                Match(parent.domain or "", match.keys), current, data, table, set()
            )
            continue
        data = as_frame(data)
        if current.is_supp:
            data = parent_joined(data, table, [k for k in match.keys if "IDVAR" not in k])
            continue
        mine = (as_text(data["RDOMAIN"]) == parent.domain).to_numpy()
        keys = [k for k in match.keys if "IDVAR" not in k]
        data = pd.concat([data[~mine], parent_joined(data[mine], table, keys)])
    return data


def parent_datasets(
    match: Match, current: DatasetInfo, infos: Sequence[DatasetInfo], data: Table
) -> list[DatasetInfo]:
    """The datasets a child dataset's records point into (the first of each domain)."""
    if current.is_supp and match.name in ("SUPP--", "SQ--", current.name):
        domains = [current.rdomain]
    elif match.name in (current.domain, current.name) and "RDOMAIN" in data.columns:
        domains = list(pd.unique(as_text(data["RDOMAIN"])))
    else:
        return []
    firsts = {i.domain: i for i in reversed(infos) if i.domain and not i.is_supp}
    return [firsts[d] for d in domains if d in firsts]


def parent_joined(child: pd.DataFrame, parent: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Each child record with the parent record its keys and IDVAR/IDVARVAL name."""
    for key in ("IDVAR", "IDVARVAL", *keys):
        if key not in child.columns:
            raise MissingVariable(key)
    if any(k not in parent.columns for k in keys):
        return child
    idvar, idvarval = as_text(child["IDVAR"]), as_text(child["IDVARVAL"])
    found = pd.Series(-1, index=range(len(child)), dtype="int64")
    ordinal = parent.assign(__row=range(len(parent)))
    left = pd.DataFrame({k: as_text(child[k]).to_numpy() for k in keys})
    for name in pd.unique(idvar):
        rows = ((idvar == name) & (idvarval != "")).to_numpy() if name else None
        link = keys + (["__link"] if name else [])
        if name and name not in parent.columns:
            continue
        right = pd.DataFrame({k: as_text(ordinal[k]).to_numpy() for k in keys})
        right["__row"] = ordinal["__row"].to_numpy()
        part = left.assign(__link=idvarval.to_numpy()) if name else left.copy()
        if name:
            right["__link"] = as_text(ordinal[name]).to_numpy()
        picked = part.merge(right.drop_duplicates(link), "left", on=link)["__row"]
        take = rows if rows is not None else (idvarval == "").to_numpy() | (idvar == "").to_numpy()
        found[take] = picked[take].fillna(-1).astype("int64")
    return overlaid(child, parent, found.to_numpy())


def overlaid(child: pd.DataFrame, parent: pd.DataFrame, rows: Any) -> pd.DataFrame:
    """The child's columns with the parent's (row `rows[i]`) put over them; a child record
    without a parent (-1) keeps its own values, and is empty in the parent's other columns."""
    matched = parent.reset_index(drop=True).reindex(rows)
    merged = child.copy()
    found = rows >= 0
    for column in parent.columns:
        if column in child.columns and not found.all():
            merged[column] = child[column].where(~found, matched[column].to_numpy())
        else:
            merged[column] = matched[column].to_numpy()
    return merged
