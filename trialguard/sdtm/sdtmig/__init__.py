"""SDTMIG metadata as data: every domain of SDTMIG 3.2, 3.3 and 3.4 and its variables.

`domains.tsv` holds one row per domain (class, label, origin, the IG models that have it,
its section in each, its natural keys); `variables.tsv` one row per variable of a domain
(order, label, Char/Num, core per IG model, empty where that model lacks it, codelist).  The
files are read once, on first use, with the csv module.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MODELS = ("3.2", "3.3", "3.4")
HERE = Path(__file__).parent


@dataclass(frozen=True)
class DomainRow:
    code: str
    cls: str
    label: str
    origin: str  # "SDTMIG", or "sponsor" for the project's own domains (DL)
    models: tuple[str, ...]
    sections: dict[str, str]
    keys: tuple[str, ...]


@dataclass(frozen=True)
class VariableRow:
    domain: str
    order: int
    name: str
    label: str
    numeric: bool
    cores: dict[str, str]  # IG model -> Req, Exp or Perm; a model without the variable is absent
    codelist: str | None


def _rows(name: str) -> list[dict[str, str]]:
    with open(HERE / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@cache
def domain_rows() -> dict[str, DomainRow]:
    """Every domain, by its code (SUPP-- for the supplemental qualifiers)."""
    return {
        row["domain"]: DomainRow(
            row["domain"],
            row["class"],
            row["label"],
            row["origin"],
            tuple(row["versions"].split()),
            {m: row[f"section_{m}"] for m in MODELS if row[f"section_{m}"]},
            tuple(row["keys"].split()),
        )
        for row in _rows("domains.tsv")
    }


@cache
def variable_rows() -> dict[str, tuple[VariableRow, ...]]:
    """Every domain's variables in their IG order."""
    table: dict[str, list[VariableRow]] = {}
    for row in _rows("variables.tsv"):
        variable = VariableRow(
            row["domain"],
            int(row["order"]),
            row["variable"],
            row["label"],
            row["type"] == "Num",
            {m: row[f"core_{m}"] for m in MODELS if row[f"core_{m}"]},
            row["codelist"] or None,
        )
        table.setdefault(variable.domain, []).append(variable)
    return {code: tuple(sorted(rows, key=lambda v: v.order)) for code, rows in table.items()}
