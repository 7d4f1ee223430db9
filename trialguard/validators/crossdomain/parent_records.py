"""What SUPP-- and RELREC share: finding the record a pointer (RDOMAIN, USUBJID, IDVAR, IDVARVAL)
names among the datasets of a domain.

A domain's records are its dataset (LB) and its split datasets (LBCH, LBHE), which keep the
domain's DOMAIN value and make --SEQ unique within a subject across them (SDTMIG 3.4 §4.1.7).
A pointer without USUBJID names records of any subject (a RELREC relationship between
datasets, §8.3).  IDVARVAL is compared as a number when IDVAR is numeric or a --SEQ ("1" and
1.0 match), else as stripped text.
"""

from __future__ import annotations

import pandas as pd

from trialguard.sdtm.naming import domain_code, is_split
from trialguard.validators.context import StudyContext
from trialguard.validators.wording import escaped

# (what is wrong, the records it is wrong for): what is wrong is a message template naming the
# record's values by placeholder ({IDVAR}, {IDVARVAL}, {RDOMAIN}), its other text escaped
Problems = list[tuple[str, pd.Series]]
POINTED = "{IDVAR} = '{IDVARVAL}'"


def blank(values: pd.Series) -> pd.Series:
    """Where a text column is missing or empty."""
    return values.isna() | values.eq("").fillna(False)


def domain_datasets(context: StudyContext, target: str) -> list[str]:
    """The study's datasets holding `target`: the dataset of that name, and for a domain code
    its split datasets (LB: LB, LBCH, LBHE)."""
    names = [*context.study.datasets, *(u.dataset for u in context.study.unreadable)]
    return sorted(
        n
        for n in set(names)
        if n == target or (not is_split(target) and is_split(n) and domain_code(n) == target)
    )


def against_domain(
    context: StudyContext, target: str, keys: pd.DataFrame, role: str = "parent"
) -> Problems:
    """(what is wrong, the records it is wrong for) of pointers to `target`, each record under
    its first: no such dataset, no record of the subject, IDVAR no variable of it, no record
    holding IDVARVAL in IDVAR.  Nothing is judged when one of its datasets could not be read."""
    names = domain_datasets(context, target)
    present = [n for n in names if context.has(n)]
    if not names:
        return [(f"the {role} dataset {escaped(target)} is not in the transfer", _all(keys))]
    return _against_records(context, target, present, keys) if present == names else []


def _against_records(context, target: str, present: list[str], keys: pd.DataFrame) -> Problems:
    shown = escaped(target if present == [target] else f"{target} ({', '.join(present)})")
    no_subject = keys["USUBJID"].notna() & ~keys["USUBJID"].isin(_subjects(context, present))
    named = keys["IDVAR"].notna() & ~no_subject
    unknown = named & ~keys["IDVAR"].isin(_variables(context, present))
    valued = named & ~unknown & keys["IDVARVAL"].notna()
    unmatched = valued & ~matches_a_record(context, present, keys[valued])
    of_subject = keys["USUBJID"].notna()
    return [
        (f"USUBJID has no {shown} record", no_subject),
        (f"IDVAR '{{IDVAR}}' is not a variable of {shown}", unknown),
        (f"no {shown} record of the subject has {POINTED}", unmatched & of_subject),
        (f"no {shown} record has {POINTED}", unmatched & ~of_subject),
    ]


def matches_a_record(context: StudyContext, names: list[str], keys: pd.DataFrame) -> pd.Series:
    """Whether a record of datasets `names` (of the subject, when USUBJID is given) holds
    IDVARVAL in IDVAR, per pointer."""
    matched = pd.Series(False, index=keys.index)
    for name in names:
        frame = context.frame(name)
        for idvar, group in keys[keys["IDVAR"].isin(frame.columns)].groupby("IDVAR"):
            values, wanted = _comparable(context, name, str(idvar), group["IDVARVAL"])
            matched[group.index] |= _held(frame, group, values, wanted)
    return matched


def _held(frame, group: pd.DataFrame, values: pd.Series, wanted: pd.Series) -> pd.Series:
    """Per pointer of `group`: its (USUBJID, IDVARVAL) among the records' (USUBJID, value),
    or its IDVARVAL among the values when it names no subject."""
    any_subject = group["USUBJID"].isna()
    held = wanted.isin(values.dropna()) & any_subject
    if "USUBJID" in frame.columns:
        subject = frame["USUBJID"].astype("string").str.strip()
        pairs = pd.MultiIndex.from_arrays([subject, values])[values.notna().to_numpy()]
        own = pd.MultiIndex.from_arrays([group["USUBJID"], wanted]).isin(pairs)
        held |= pd.Series(own, index=group.index) & ~any_subject
    return held


def _comparable(context: StudyContext, name: str, idvar: str, idvarval: pd.Series):
    """The dataset's IDVAR values and the IDVARVALs, as numbers for a numeric IDVAR."""
    column = context.frame(name)[idvar]
    if pd.api.types.is_numeric_dtype(column) or idvar.endswith("SEQ"):
        return context.numbers(name, idvar), pd.to_numeric(idvarval, errors="coerce")
    return column.astype("string").str.strip(), idvarval


def _subjects(context: StudyContext, names: list[str]) -> list[str]:
    """Every USUBJID of datasets `names` (none of a dataset without the variable)."""
    frames = [context.frame(n) for n in names]
    held = [f["USUBJID"].astype("string").str.strip() for f in frames if "USUBJID" in f.columns]
    return pd.concat(held).dropna().unique().tolist() if held else []


def _variables(context: StudyContext, names: list[str]) -> set[str]:
    return {str(c) for n in names for c in context.frame(n).columns}


def _all(keys: pd.DataFrame) -> pd.Series:
    return pd.Series(True, index=keys.index)
