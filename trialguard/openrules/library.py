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
from trialguard.sdtm.model import CLASS_MODELS, DM, IDENTIFIERS, TIMING
from trialguard.sdtm.sdtmig import domain_rows, variable_rows

CLASSES = {cls.upper(): cls for cls in CLASS_MODELS}
# The SDTM model's timing variables (v2.0) that trialguard's model does not list.
LATER_TIMING = ("MIDS", "RELMIDS", "MIDSDTC", "--PTFL", "--PDUR")
ROLES = {"TIMING": {*TIMING.split(), *LATER_TIMING}}
# The Associated Persons class's identifiers, in place of USUBJID in an AP-- dataset.
AP_IDENTIFIERS = ("APID", "RSUBJID", "RDEVID", "SREL")
IDENTIFIER_COUNT = len(IDENTIFIERS.split())


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


def observation_class(info: DatasetInfo) -> str | None:
    """The general observation class of the dataset (its IG domain's, else its variables')."""
    domain = ig_domain(info)
    row = domain_rows().get(domain)
    if row is not None and is_standard(domain):
        return row.cls if row.cls in CLASS_MODELS else None
    return CLASSES.get(class_by_variables(info) or "")


def class_fragments(cls: str) -> list[str]:
    """Identifiers, the class's variables (Findings About's --OBJ after --TEST), timing."""
    fragments = list(CLASS_MODELS[cls].fragments())
    if cls == "Findings About":
        fragments.remove("--OBJ")
        fragments.insert(fragments.index("--TEST") + 1, "--OBJ")
    return list(dict.fromkeys([*fragments, *LATER_TIMING]))


def with_ap(names: list[str]) -> list[str]:
    """An AP-- dataset's variables: the AP identifiers after DOMAIN, in place of USUBJID."""
    names = [n for n in names if n != "USUBJID"]
    at = names.index("DOMAIN") + 1 if "DOMAIN" in names else 0
    return list(dict.fromkeys([*names[:at], *AP_IDENTIFIERS, *names[at:]]))


def prefixed(fragments: list[str], prefix: str) -> list[str]:
    return list(dict.fromkeys(prefix + f[2:] if f.startswith("--") else f for f in fragments))


def library_variables(call: Call, info: DatasetInfo) -> list[tuple[str, str]]:
    """(name, core) of the domain's variables as CORE's Library gives them: for a general
    observation class the model's (identifiers, class, timing) with the IG's cores, an AP--
    dataset's USUBJID last of the identifiers; else the IG's in order."""
    domain = ig_domain(info)
    version = call.context.standards.ig.model
    rows = [v for v in variable_rows().get(domain, ()) if version in v.cores]
    if not is_standard(domain):
        return [(name, "Perm") for name in model_order(info)]
    cores = {v.name: v.cores[version] for v in rows}
    cls = observation_class(info)
    if cls is None:
        names = [v.name for v in rows]
        return [(n, cores.get(n, "Perm")) for n in (with_ap(names) if info.is_ap else names)]
    names = model_order(info)
    if info.is_ap and "USUBJID" in cores:
        names.insert(IDENTIFIER_COUNT - 1 + len(AP_IDENTIFIERS), "USUBJID")
    return [(n, cores.get(n, "Perm")) for n in names]


def model_order(info: DatasetInfo) -> list[str]:
    """The model's variables of the dataset's class (identifiers, class, timing), `--`
    standing for the dataset's prefix; the IG's variables outside the general classes; an
    AP-- dataset's with the AP identifiers for USUBJID."""
    domain = ig_domain(info)
    cls = observation_class(info)
    if domain == "DM":
        names = DM.split()
    elif cls is not None:
        names = prefixed(class_fragments(cls), info.wildcard)
    else:
        names = [v.name for v in variable_rows().get(domain, ())]
    return with_ap(names) if info.is_ap and not info.is_supp else names


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
