"""A plain domain (DM, SE, TV) of Match Datasets joined onto the table a rule checks, as CORE
merges it: an inner join on the keys (`--` standing for each side's domain), compared as text;
a record without a match drops out, one matching several repeats.  A right column becomes
`Name.X` when the Check names `Name.X`, else `X.Name` if the left has an `X`.

The join is kept as row positions (`Joined`): the right dataset's columns are taken only when
a rule reads them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from trialguard.openrules.frame import as_text
from trialguard.openrules.joined import CodesOf, Joined, Part, Table
from trialguard.openrules.model import Match
from trialguard.openrules.pairs import pair_rows, value_codes
from trialguard.openrules.scope import DatasetInfo


def domain_merged(
    match: Match,
    current: DatasetInfo,
    left: Table,
    right: pd.DataFrame,
    targets: set[str],
    codes: CodesOf | None = None,
) -> Table:
    """The inner join (CORE's default) of `left` and the matched domain on the keys; `codes`
    gives the run's codes of the right dataset's columns."""
    left_keys = [side_key(k, current.wildcard) for k in match.keys]
    right_keys = [side_key(k, match.name) for k in match.keys]
    if any(k not in left.columns for k in left_keys) or any(
        k not in right.columns for k in right_keys
    ):
        return left  # CORE fails on the missing key: the Check misses the columns
    joined = left if isinstance(left, Joined) else Joined.of(left)
    names = right_names(match.name, joined.columns, right, right_keys, targets)
    right_on = keyed(right, right_keys)
    rows = right_rows(joined, left_keys, pd.DataFrame(right_on))
    if rows is not None:  # the right side's keys are unique: a lookup keeps the left's order
        kept = rows >= 0
        mine = joined if kept.all() else joined.taken(np.flatnonzero(kept))
        return mine.with_part(Part(right, rows[kept], names, codes))
    left_on = keyed(joined, left_keys)
    pairs = pd.DataFrame({"__left": np.arange(len(joined)), **left_on}).merge(
        pd.DataFrame({"__right": np.arange(len(right)), **right_on}), "inner", on=list(left_on)
    )
    mine = joined.taken(pairs["__left"].to_numpy())
    return mine.with_part(Part(right, pairs["__right"].to_numpy(), names, codes))


def right_names(
    domain: str, left: pd.Index, right: pd.DataFrame, keys: list[str], targets: set[str]
) -> dict[str, str]:
    """The joined name of each right column kept (a key the left has is not)."""
    names: dict[str, str] = {}
    for column in map(str, right.columns):
        name = f"{domain}.{column}" if f"{domain}.{column}" in targets else column
        if name in left and name not in keys:
            name = f"{name}.{domain}"
        elif name in left:
            continue
        names[name] = column
    return names


def right_rows(left: Table, keys: list[str], right: pd.DataFrame) -> np.ndarray | None:
    """The right row each left record's keys (as text) find, -1 for none; computed once per
    distinct combination of keys.  None when the right side repeats a combination."""
    if right.duplicated().any():
        return None
    codes = key_codes(left, keys[0])
    for key in keys[1:]:
        other = key_codes(left, key)
        if codes is None or other is None:
            return None
        codes, _ = pair_rows(codes, other)
    if codes is None:
        return None
    codes, firsts = pair_rows(codes, np.zeros(len(codes), dtype=np.int64))
    wanted = pd.DataFrame({f"__key{i}": as_text(left[k].iloc[firsts]) for i, k in enumerate(keys)})
    found = wanted.merge(right.assign(__row=np.arange(len(right))), "left", on=list(right))
    rows = found["__row"].fillna(-1).to_numpy(dtype=np.int64)
    return rows[codes] if len(rows) else np.full(len(codes), -1, dtype=np.int64)


def key_codes(left: Table, key: str) -> np.ndarray | None:
    """A code per record for its key's value: the run's codes of a text or number column."""
    column = left[key]
    known = None
    if isinstance(left, Joined):
        kind = column.dtype
        if isinstance(kind, pd.StringDtype) or pd.api.types.is_float_dtype(kind):
            known = left.codes(key)
    return value_codes(column, known)


def side_key(key: str, domain: str) -> str:
    return domain + key[2:] if key.startswith("--") else key


def keyed(table: Table, keys: list[str]) -> dict[str, Any]:
    """The join keys as text (a number 1.0 and a text 1 match), under neutral names."""
    return {f"__key{i}": as_text(table[k]).to_numpy() for i, k in enumerate(keys)}
