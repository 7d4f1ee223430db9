"""Which datasets of a study a rule's Scope takes: by domain (ALL, a code, a split dataset's
domain, SUPP-- for every SUPP dataset) and by class (from trialguard's SDTMIG metadata; a
custom domain by the class its variables show)."""

from __future__ import annotations

from collections.abc import Collection

from trialguard.openrules.model import Scope
from trialguard.sdtm import naming
from trialguard.sdtm.model import custom_class
from trialguard.sdtm.sdtmig import domain_rows

CLASS_NAMES = {  # the metadata's class -> the rule format's
    "Special-Purpose": "SPECIAL PURPOSE",
    "Trial Design": "TRIAL DESIGN",
    "Relationship": "RELATIONSHIP",
    "Study Reference": "STUDY REFERENCE",
}


def dataset_class(name: str, columns: Collection[str] = ()) -> str | None:
    """The class of dataset `name` as the rule format names it (FINDINGS, EVENTS, ...)."""
    if naming.is_supp(name) or name in naming.RELATIONSHIP_DATASETS:
        return "RELATIONSHIP"
    code = naming.domain_code(name)
    row = domain_rows().get(code)
    cls = row.cls if row is not None else custom_class(code, columns)
    if cls is None:
        return None
    return CLASS_NAMES.get(cls, cls.upper())


def domain_names(name: str) -> set[str]:
    """The names a Scope may give for dataset `name`: itself, its domain, SUPP--, AP--."""
    names = {name, naming.domain_code(name)}
    if naming.is_supp(name):
        names |= {"SUPP--", f"SUPP{name[4:6]}" if len(name) > 6 else name}
    if name.startswith("AP") and len(name) == 4:
        names.add("AP--")
    return names


def in_scope(scope: Scope, name: str, columns: Collection[str] = ()) -> bool:
    names = domain_names(name)
    if scope.domains_out and names & set(scope.domains_out):
        return False
    if "ALL" not in scope.domains_in and not names & set(scope.domains_in):
        return False
    cls = dataset_class(name, columns)
    if scope.classes_out and cls in scope.classes_out:
        return False
    return "ALL" in scope.classes_in or cls in scope.classes_in
