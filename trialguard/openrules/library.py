"""The Operations CORE answers from the CDISC Library, answered from trialguard's SDTMIG
metadata (`trialguard.sdtm.sdtmig`, `trialguard.sdtm.model`): a domain's label, whether it is
custom, its required and expected variables, the IG's and the model's variable order, the
model's timing variables, a codelist's terms.  Variables the IG does not give a core are
permissible; the timing role is the SDTM model's list of timing variables."""

from __future__ import annotations

from typing import Any

import pandas as pd

from trialguard.openrules.operations import Call, DomainNotFound, NotExecutable, operation
from trialguard.openrules.scope import DatasetInfo, class_by_variables
from trialguard.sdtm.model import CLASS_MODELS, DM, TIMING
from trialguard.sdtm.sdtmig import domain_rows, variable_rows

CLASSES = {cls.upper(): cls for cls in CLASS_MODELS}
ROLES = {"TIMING": set(TIMING.split())}


def ig_domain(info: DatasetInfo) -> str:
    """The IG dataset a dataset's variables come from (SUPP-- for SUPPAE, SU for APSU)."""
    if info.is_supp:
        return "SUPP--"
    return info.unsplit[2:] if info.is_ap and len(info.unsplit) >= 4 else info.unsplit


def is_standard(domain: str) -> bool:
    row = domain_rows().get(domain)
    return row is not None and row.origin == "SDTMIG"


def fragment(name: str, domain: str) -> str:
    """A variable's name as the model gives it (AESEQ: --SEQ)."""
    return "--" + name[len(domain) :] if domain and name.startswith(domain) else name


def library_variables(call: Call, info: DatasetInfo) -> list[tuple[str, str]]:
    """(name, core) of the domain's variables in the IG's order; a custom domain's by the
    model of the class its variables show."""
    domain = ig_domain(info)
    version = call.context.standards.ig.model
    if is_standard(domain):
        rows = variable_rows().get(domain, ())
        return [(v.name, v.cores.get(version, "Perm")) for v in rows if version in v.cores]
    return [(name, "Perm") for name in model_order(info)]


def model_order(info: DatasetInfo) -> list[str]:
    """The model's variables of the dataset's class (identifiers, class, timing), `--`
    standing for the dataset's prefix; the IG's variables outside the general classes."""
    domain = ig_domain(info)
    row = domain_rows().get(domain)
    cls = row.cls if row is not None and is_standard(domain) else None
    cls = cls or CLASSES.get(class_by_variables(info) or "")
    if domain == "DM":
        return DM.split()
    if cls in CLASS_MODELS:
        prefix = info.wildcard
        names = (prefix + f[2:] if f.startswith("--") else f for f in CLASS_MODELS[cls].fragments())
        return list(dict.fromkeys(names))
    return [v.name for v in variable_rows().get(domain, ())]


def with_role(names: list[str], domain: str, role: Any) -> list[str]:
    wanted = ROLES.get(str(role).upper())
    if wanted is None:
        raise NotExecutable(f"needs the CDISC Library: the variables of role {role}")
    return [n for n in names if fragment(n, domain) in wanted]


@operation("required_variables")
def required_variables(call: Call) -> list[str]:
    return [n for n, core in library_variables(call, call.info) if core == "Req"]


@operation("expected_variables")
def expected_variables(call: Call) -> list[str]:
    return [n for n, core in library_variables(call, call.info) if core == "Exp"]


@operation("get_column_order_from_library")
def column_order_from_library(call: Call) -> list[str]:
    return [n for n, _ in library_variables(call, call.info)]


@operation("get_dataset_filtered_variables")
def dataset_filtered_variables(call: Call) -> list[str]:
    names = [n for n, _ in library_variables(call, call.info)]
    present = set(call.dataframe().columns)
    role = call.params.get("key_value")
    return [n for n in with_role(names, call.info.wildcard, role) if n in present]


@operation("get_model_column_order")
def model_column_order(call: Call) -> list[str]:
    return model_order(call.info)


@operation("get_model_filtered_variables")
def model_filtered_variables(call: Call) -> list[str]:
    role = call.params.get("key_value")
    return with_role(model_order(call.info), call.info.wildcard, role)


@operation("get_parent_model_column_order")
def parent_model_column_order(call: Call) -> pd.Series:
    """Per record of a SUPP-- dataset, the model order of its RDOMAIN's dataset."""
    rdomain = call.frame.column("RDOMAIN").astype(object)
    orders: dict[Any, list[str]] = {}
    for value in pd.unique(rdomain.dropna()):
        parent = next((i for i in call.infos if i.domain == value), None)
        if parent is None:
            raise DomainNotFound(str(value))
        orders[value] = model_order(parent)
    return rdomain.map(orders).astype(object)


@operation("domain_is_custom")
def domain_is_custom(call: Call) -> bool:
    return not is_standard(call.info.unsplit)


@operation("domain_label")
def domain_label(call: Call) -> str:
    row = domain_rows().get(call.info.unsplit)
    return row.label if row is not None and is_standard(row.code) else ""


@operation("codelist_terms")
def codelist_terms(call: Call) -> list[str]:
    release = call.context.standards.ct
    if not release.codelists:
        raise NotExecutable("needs the CDISC Library: a CT release's codelist terms")
    names = {str(n) for n in call.params.get("codelists") or []}
    chosen = [c for c in release.codelists.values() if c.short_name in names]
    kind = str(call.params.get("returntype") or "code")
    if kind == "code":
        return [code for c in chosen for code in c.term_codes.values()]
    return [term for c in chosen for term in sorted(c.terms)]
