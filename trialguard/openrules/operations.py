"""Operations: values a rule computes before its Check, each under its `$id`, as CORE does.

Here is what an operation is given (`Call`) and the registry its functions join
(`@operation(name)`); `operation_results.computed` runs a rule's operations.

An operation reads the table being checked when it is about the same domain (the first
DOMAIN value matches), else the named dataset as read (the first of a split domain); a domain
the study lacks leaves the dataset unchecked (`DomainNotFound`).  A scalar or list result is
the same for every record; a grouped result is a column aligned to the table's rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from trialguard.openrules.frame import MissingVariable, RuleFrame
from trialguard.openrules.joined import Table
from trialguard.openrules.model import OpenRule, Operation
from trialguard.openrules.scope import DatasetInfo
from trialguard.validators.context import StudyContext

OWN_FRAME_EXCLUDED = ("RELREC", "RELSUB", "CO")


class NotExecutable(Exception):
    """The rule needs what the run does not have (the CDISC Library, a define.xml, MedDRA):
    it is not run, with this reason."""


class DomainNotFound(Exception):
    """An operation's domain is not in the study: the dataset is not checked."""


@dataclass
class Call:
    """One operation of a rule on the table of one dataset."""

    rule: OpenRule
    context: StudyContext
    frame: RuleFrame
    info: DatasetInfo
    infos: Sequence[DatasetInfo]
    operation: Operation

    @property
    def params(self) -> dict[str, Any]:
        return self.operation.params

    @property
    def domain(self) -> str:
        """The operation's domain (SUPP-- of a SUPP dataset's parent), else the dataset's."""
        given = self.params.get("domain")
        if not given:
            return self.info.unsplit
        text = str(given)
        if text in ("SUPP--", "SQ--") and self.info.rdomain:
            return text[:-2] + self.info.rdomain
        return text

    @property
    def target(self) -> str:
        name = str(self.params.get("name") or "")
        prefix = str(self.params["domain"]) if self.params.get("domain") else self.info.wildcard
        return prefix + name[2:] if name.startswith("--") else name

    @property
    def on_own_frame(self) -> bool:
        """Whether the operation reads the table being checked (its first DOMAIN matches)."""
        frame = self.frame
        domain = self.domain
        if domain in OWN_FRAME_EXCLUDED or domain.startswith(("SUPP", "SQ")):
            return False
        has = "DOMAIN" in frame.columns and len(frame.index) > 0
        return has and frame.raw("DOMAIN").iloc[0] == domain

    def dataset(self) -> DatasetInfo:
        """The first dataset of the operation's domain; DomainNotFound without one."""
        domain = self.domain
        for info in self.infos:
            if info.unsplit == domain or (
                domain.endswith("--") and info.unsplit.startswith(domain[:-2])
            ):
                return info
        raise DomainNotFound(domain)

    def dataframe(self) -> Table:
        """What the operation reads: the checked table, or the domain's dataset as read."""
        if self.on_own_frame:
            return self.frame.table
        return self.context.frame(self.dataset().name)

    def filtered(self) -> Table:
        """`dataframe()` with the operation's `filter` (a value ending & is a prefix)."""
        data = self.dataframe()
        for column, value in (self.params.get("filter") or {}).items():
            if column not in data.columns:
                raise MissingVariable(str(column))
            text = data[column].astype("string")
            wanted = str(value)
            keep = text.str.startswith(wanted[:-1]) if wanted.endswith("&") else text == wanted
            data = data[keep.fillna(False).to_numpy(dtype=bool)]
        return data

    def column(self, data: Table, name: str | None = None) -> pd.Series:
        name = name or self.target
        if name not in data.columns:
            raise MissingVariable(name)
        return data[name]

    def cache_key(self) -> tuple[Any, ...]:
        """Equal for calls that must give the same result, whichever rule asks."""
        params = json.dumps(self.params, sort_keys=True, default=str)
        own = self.on_own_frame or self.operation.operator in FRAME_BOUND
        shape = (len(self.frame.index), len(self.frame.columns))
        reads = (self.info.name, self.rule.matches, shape) if own else ()
        per_rule = (self.rule.id,) if "$" in params else ()
        return ("openrules.op", self.operation.operator, params, self.info.name, reads, per_rule)


OperationFunction = Callable[[Call], Any]
OPERATIONS: dict[str, OperationFunction] = {}
FRAME_BOUND = {"dy", "min_date", "max_date", "distinct", "record_count"}  # map onto the rows


def operation(name: str) -> Callable[[OperationFunction], OperationFunction]:
    def register(function: OperationFunction) -> OperationFunction:
        OPERATIONS[name] = function
        return function

    return register


def per_row(frame: RuleFrame, keys: list[str], table: pd.DataFrame, value: str) -> pd.Series:
    """`table[value]` looked up for each row of the frame by its `keys` (compared as text);
    None for a row whose keys `table` lacks.  Aligned to the frame's rows, in order."""
    from trialguard.openrules.frame import as_text

    for key in keys:
        if key not in frame.columns:
            raise MissingVariable(key)
    left = pd.DataFrame({k: as_text(frame.raw(k)).to_numpy() for k in keys})
    right = pd.DataFrame({k: as_text(table[k]).to_numpy() for k in keys})
    right[value] = table[value].to_numpy()
    looked = left.merge(right.drop_duplicates(keys), "left", on=keys)[value]
    looked = looked.astype(object).where(looked.notna(), None)
    return pd.Series(looked.to_numpy(), index=frame.index, dtype=object)
