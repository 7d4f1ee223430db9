"""Which datasets of a study a rule's Scope takes, as CORE decides it.

A dataset is known by what its first record says (`DatasetInfo`): its DOMAIN (QS for QS1 and
QSAE, DM for a file dmx), the RDOMAIN of a SUPP-- dataset, whether it holds associated persons
(AP--).  Domains Include/Exclude name domains, dataset names, SUPP--/SQ-- and AP--/APFA--.
Classes come from trialguard's SDTMIG metadata for a standard domain, else from the variables
(--TERM Events, --TRT Interventions, --QNAM Relationship, --TESTCD Findings, with --OBJ Findings
About); an AP-- dataset takes its parent domain's class.  `ALL` in Classes Include takes every
dataset before Exclude is read; a FINDINGS ABOUT dataset is a FINDINGS one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from trialguard.openrules.model import Scope
from trialguard.sdtm.sdtmig import domain_rows
from trialguard.validators.context import StudyContext

CLASS_NAMES = {"Special-Purpose": "SPECIAL PURPOSE"}  # else the metadata's class upper-cased
CUSTOM_CLASSES = (("TERM", "EVENTS"), ("TRT", "INTERVENTIONS"), ("QNAM", "RELATIONSHIP"))


@dataclass(frozen=True)
class DatasetInfo:
    """What CORE knows of one dataset of the study (its `SDTMDatasetMetadata`)."""

    name: str  # QS1, SUPPAE, APSU
    domain: str | None  # DOMAIN of the first record; None without a DOMAIN variable
    rdomain: str | None  # RDOMAIN of the first record of a SUPP-- dataset
    columns: tuple[str, ...]

    @property
    def is_supp(self) -> bool:
        return self.name.startswith(("SUPP", "SQ"))

    @property
    def unsplit(self) -> str:
        """The dataset its split siblings share: DOMAIN, SUPP+RDOMAIN, else the name."""
        if self.domain:
            return self.domain
        if self.is_supp and self.rdomain is not None:
            return ("SUPP" if self.name.startswith("SUPP") else "SQ") + self.rdomain
        return self.name

    @property
    def is_ap(self) -> bool:
        if self.is_supp:
            return self.rdomain is not None and len(self.rdomain) == 4 and self.rdomain[:2] == "AP"
        return "APID" in self.columns or self.name.startswith("AP")

    @property
    def ap_suffix(self) -> str:
        domain = self.domain or ""
        return domain[2:] if self.is_ap and not self.is_supp and len(domain) >= 4 else ""

    @property
    def wildcard(self) -> str:
        """What `--` stands for: AE in AE, SU in APSU, '' in SUPP--, RELREC and CO-less files."""
        return self.ap_suffix or self.domain or ""


def first_value(frame: pd.DataFrame, column: str) -> str | None:
    """The first record's value of `column` as text ('' when empty), None without it."""
    if column not in frame.columns:
        return None
    if frame.empty:
        return ""
    value = frame[column].iloc[0]
    return "" if pd.isna(value) else str(value)


def dataset_info(context: StudyContext, name: str) -> DatasetInfo:
    key = ("openrules.info", name)
    if key not in context.cache:
        frame = context.study.datasets[name].frame
        supp = name.startswith(("SUPP", "SQ"))
        rdomain = first_value(frame, "RDOMAIN") if supp else None
        columns = tuple(str(c) for c in frame.columns)
        context.cache[key] = DatasetInfo(name, first_value(frame, "DOMAIN"), rdomain, columns)
    info = context.cache[key]
    assert isinstance(info, DatasetInfo)
    return info


def study_infos(context: StudyContext) -> list[DatasetInfo]:
    """Every dataset of the study, in the order of their file names."""
    datasets = context.study.datasets
    names = sorted(datasets, key=lambda n: (datasets[n].path.name.lower(), n))
    return [dataset_info(context, n) for n in names]


def dataset_class(info: DatasetInfo, infos: Sequence[DatasetInfo] = ()) -> str | None:
    """The class of a dataset as the rule format names it (FINDINGS, SPECIAL PURPOSE, ...)."""
    row = domain_rows().get(info.unsplit)
    if row is not None and row.origin == "SDTMIG":
        return CLASS_NAMES.get(row.cls, row.cls.upper())
    found = class_by_variables(info)
    if found is None and info.is_ap:
        parents = [i for i in infos if i.domain == info.ap_suffix and not i.is_ap]
        return dataset_class(parents[0], infos) if parents else None
    return found


def class_by_variables(info: DatasetInfo) -> str | None:
    """A custom domain's class by the variables it holds (CORE's `handle_custom_domains`)."""
    columns = set(info.columns)
    if "DOMAIN" in columns:
        prefix = info.domain or ""
    elif "RDOMAIN" in columns:
        prefix = ""
    else:
        return None
    for suffix, cls in CUSTOM_CLASSES:
        if f"{prefix}{suffix}" in columns:
            return cls
    if f"{prefix}TESTCD" in columns:
        return "FINDINGS ABOUT" if f"{prefix}OBJ" in columns else "FINDINGS"
    return None


def named(info: DatasetInfo, names: Sequence[str], *, unsplit: bool = False) -> bool:
    """Whether a Domains list names the dataset (its domain, name, SUPP--, AP--)."""
    own = {info.domain, info.name} | ({info.unsplit} if unsplit else set())
    if "ALL" in names or own & set(names):
        return True
    if info.is_supp and ("SUPP--" in names or "SQ--" in names):
        return True
    return info.is_ap and ("AP--" in names or "APFA--" in names)


def domain_in_scope(scope: Scope, info: DatasetInfo) -> bool:
    included = not scope.domains_in or named(info, scope.domains_in)
    return included and not named(info, scope.domains_out, unsplit=True)


def class_in_scope(scope: Scope, info: DatasetInfo, infos: Sequence[DatasetInfo]) -> bool:
    """`Include: [ALL]` takes every dataset, whatever the Exclude (as CORE); else included
    unless Include names classes and not the dataset's, and excluded only when its class is
    known and Exclude names it (a class CORE cannot tell passes an Exclude)."""
    if "ALL" in scope.classes_in:
        return True
    cls = dataset_class(info, infos)
    also = ({cls, "FINDINGS"} if cls == "FINDINGS ABOUT" else {cls}) if cls else set()
    included = not scope.classes_in or bool(also & set(scope.classes_in))
    return included and not also & set(scope.classes_out)


def in_scope(scope: Scope, info: DatasetInfo, infos: Sequence[DatasetInfo] = ()) -> bool:
    return domain_in_scope(scope, info) and class_in_scope(scope, info, infos)
