"""What a dataset's name says: its domain, the prefix of its variables, the parent of a SUPP--.

A domain code has two characters.  A split dataset adds one or two to its domain's code
(QSCO and LBCH hold domain QS and LB); its records keep the domain's DOMAIN value and variable
prefix (SDTMIG 3.4 §4.1.7).  A SUPP-- dataset is named SUPP and its parent dataset's name
(SUPPAE, SUPPLBCH), or SUPPQUAL for one holding every parent (SDTMIG 3.4 §8.4).  RELREC,
RELSUB, RELSPEC and POOLDEF are relationship datasets of their own names (§8.2, §8.3, §8.7).
"""

from __future__ import annotations

import re

SUPP_NAME = re.compile(r"SUPP(?:[A-Z][A-Z0-9]{1,3}|QUAL)")
RELATIONSHIP_DATASETS = ("RELREC", "RELSUB", "RELSPEC", "POOLDEF")
SPLIT_NAME = re.compile(r"[A-Z][A-Z0-9][A-Z0-9]{1,2}")


def is_supp(name: str) -> bool:
    """Whether `name` is a SUPP-- dataset (SUPPAE, SUPPLBCH, SUPPQUAL)."""
    return SUPP_NAME.fullmatch(name) is not None


def supp_parent(name: str) -> str | None:
    """The dataset a SUPP-- dataset qualifies (SUPPLBCH: LBCH); None for SUPPQUAL and others."""
    if not is_supp(name) or name == "SUPPQUAL":
        return None
    return name[4:]


def is_split(name: str) -> bool:
    """Whether `name` is a split dataset of a domain (QSCO, LBCH, FAMH), not a domain itself."""
    return (
        SPLIT_NAME.fullmatch(name) is not None
        and not is_supp(name)
        and name not in RELATIONSHIP_DATASETS
    )


def domain_code(name: str) -> str:
    """The DOMAIN value of a dataset's records: QS for QSCO, LB for SUPPLB's parent LB, the name
    itself for a domain, a SUPP-- or a relationship dataset."""
    return name[:2] if is_split(name) else name


def variable_prefix(name: str) -> str:
    """The prefix `--` stands for in the variables of dataset `name` (QS in QSCO)."""
    return domain_code(name)
