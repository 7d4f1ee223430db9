"""Every SUPP-- record points at a real parent record (RDOMAIN, USUBJID, IDVAR, IDVARVAL).

A finding is a SUPP-- record whose RDOMAIN is empty (or missing) or not the dataset its name
says (SUPPAE: AE), whose parent dataset is not in the transfer, whose subject has no record
there, whose IDVAR is not a variable of the parent, or whose IDVARVAL matches no record of the
subject (a numeric IDVAR such as AESEQ is compared as a number: "1" and 1.0 match).
Reference: SDTMIG 3.4 §8.4 (SUPP-- datasets), CORE-000200-style referential checks.
"""

from __future__ import annotations

import pandas as pd

from trialguard.validators.context import StudyContext
from trialguard.validators.crossdomain.supp_records import (
    PARENT_VARIABLES,
    parent_columns,
    parent_dataset,
    supp_datasets,
)
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select


@register("supp_parent", message="{dataset} record points at no parent record: {problem}")
def check_supp_parent(context: StudyContext, params: NoParams) -> Outcome:
    """SUPP-- records point at a real parent record."""
    outcome = Outcome()
    for name in supp_datasets(context):
        for problem, mask in _problems(context, name):
            frame = context.frame(name)
            shown = [v for v in PARENT_VARIABLES if v in frame.columns and v != "USUBJID"]
            outcome.add(select(name, frame, mask, shown, dataset=name, problem=problem))
    return outcome


def _problems(context: StudyContext, name: str) -> list[tuple[str, pd.Series]]:
    """(what is wrong, the records it is wrong for), each record counted under its first."""
    keys = parent_columns(context, name)
    empty = keys["RDOMAIN"].isna() | keys["RDOMAIN"].eq("").fillna(False)
    found = [("RDOMAIN is empty, so the parent dataset is not named", empty)]
    parents = parent_dataset(name, keys["RDOMAIN"])
    if name != "SUPPQUAL":
        other = ~empty & keys["RDOMAIN"].ne(name[4:]).fillna(True)
        found.append((f"RDOMAIN is not {name[4:]}", other))
        parents = parents.where(~other & ~empty)
    for parent in sorted(parents.dropna().unique()):
        found += _against_parent(context, parent, keys[parents.eq(parent).fillna(False)])
    return found


def _against_parent(context, parent: str, keys: pd.DataFrame) -> list[tuple[str, pd.Series]]:
    if not context.has(parent):
        unread = context.study.unread(parent) is not None
        return (
            [] if unread else [(f"the parent dataset {parent} is not in the transfer", _all(keys))]
        )
    frame = context.frame(parent)
    if "USUBJID" not in frame.columns:
        return [(f"{parent} has no USUBJID", _all(keys))]
    no_subject = ~keys["USUBJID"].isin(frame["USUBJID"].dropna())
    named = keys["IDVAR"].notna() & ~no_subject
    unknown = named & ~keys["IDVAR"].isin(frame.columns)
    unmatched = named & ~unknown & ~_matches_a_record(context, parent, keys[named & ~unknown])
    return [
        (f"USUBJID has no {parent} record", no_subject),
        (f"IDVAR is not a variable of {parent}", unknown),
        (f"no {parent} record of the subject has IDVAR = IDVARVAL", unmatched),
    ]


def _matches_a_record(context, parent: str, keys: pd.DataFrame) -> pd.Series:
    """Whether a parent record of the subject holds IDVARVAL in IDVAR, per SUPP-- record."""
    matched = pd.Series(False, index=keys.index)
    for idvar, group in keys.groupby("IDVAR"):
        values, wanted = _comparable(context, parent, str(idvar), group["IDVARVAL"])
        held = pd.MultiIndex.from_arrays([context.frame(parent)["USUBJID"], values])
        matched[group.index] = pd.MultiIndex.from_arrays([group["USUBJID"], wanted]).isin(held)
    return matched


def _comparable(context, parent: str, idvar: str, idvarval: pd.Series):
    """The parent's IDVAR values and the IDVARVALs, as numbers for a numeric IDVAR."""
    column = context.frame(parent)[idvar]
    if pd.api.types.is_numeric_dtype(column) or idvar.endswith("SEQ"):
        return context.numbers(parent, idvar), pd.to_numeric(idvarval, errors="coerce")
    return column.astype("string").str.strip(), idvarval


def _all(keys: pd.DataFrame) -> pd.Series:
    return pd.Series(True, index=keys.index)
