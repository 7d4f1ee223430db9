"""SDTMIG variables of the datasets trialguard checks: core, type, codelist, keys, by IG model.

Three models: "3.2" (SDTMIG 3.1.2 amendment 1 to 3.2), "3.3" and "3.4"; the metadata is the
data of trialguard/sdtm/sdtmig (every domain of the three versions, read on first use).  The
DL (DLT) domain is the project's sponsor-defined events domain (shared/protocols.md, "Data
conventions").  A dataset is judged by what its name says (trialguard.sdtm.naming): a split
dataset (QSCO, LBCH) by its domain's metadata, every SUPP-- dataset (SUPPAE, SUPPLBCH) by the
SUPP-- metadata.  A custom domain (XA, ZB, any code the IG does not have) is judged by the class
its variables show (--TESTCD: Findings, --TRT: Interventions, --TERM: Events): STUDYID,
DOMAIN, USUBJID, --SEQ and the topic variable Req, the class's other variables Perm, with the
type and codelist the IG gives them in a domain of that class.  Any other dataset has no
metadata, and is read and listed, never checked against a guess.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Generic, TypeVar

from trialguard.sdtm import naming
from trialguard.sdtm.model import CLASS_MODELS, custom_class, model_variables
from trialguard.sdtm.sdtmig import MODELS, VariableRow, domain_rows, variable_rows

REQ, EXP, PERM = "Req", "Exp", "Perm"
SUPP = "SUPP--"  # the metadata every SUPP-- dataset shares
SUPP_NAME = naming.SUPP_NAME
CORE_DATASETS = ("DM", "EX", "AE", "DL")  # the datasets every protocol rule reads
GENERAL_CLASSES = ("Interventions", "Events", "Findings", "Findings About")
# Per-variable length limits of the IG, in characters (SDTMIG 3.4 DM: ARMCD, ACTARMCD).
MAX_LENGTHS: dict[str, int] = {"ARMCD": 20, "ACTARMCD": 20}
DATE_DAY_SUFFIXES = (("DTC", "DY"), ("STDTC", "STDY"), ("ENDTC", "ENDY"))
DM_START_END = (
    ("RFSTDTC", "RFENDTC"),
    ("RFXSTDTC", "RFXENDTC"),
    ("RFCSTDTC", "RFCENDTC"),
    ("BRTHDTC", "RFSTDTC"),
    ("RFICDTC", "RFXSTDTC"),
)


@dataclass(frozen=True)
class Variable:
    name: str
    core: str
    numeric: bool = False
    codelist: str | None = None
    label: str = ""

    @property
    def is_date(self) -> bool:
        return self.name.endswith("DTC")


def _of_model(row: VariableRow, model: str, name: str | None = None) -> Variable:
    return Variable(name or row.name, row.cores[model], row.numeric, row.codelist, row.label)


@cache
def _ig_variables(code: str, model: str) -> tuple[Variable, ...]:
    return tuple(_of_model(v, model) for v in variable_rows().get(code, ()) if model in v.cores)


def ig_domain(name: str, columns: Collection[str] = ()) -> str | None:
    """The metadata a dataset named `name` is checked against: its domain's code (QS for QSCO),
    SUPP-- for SUPPAE, the code of a custom domain whose `columns` show its class; else None."""
    if naming.is_supp(name):
        return SUPP
    code = naming.domain_code(name)
    if code in domain_rows():
        return code
    return code if custom_class(code, columns) else None


def is_custom(name: str, columns: Collection[str] = ()) -> bool:
    """Whether `name` is a custom domain judged by the class its variables show."""
    code = ig_domain(name, columns)
    return code is not None and code != SUPP and code not in domain_rows()


def domain_variables(
    domain: str, model: str = MODELS[-1], columns: Collection[str] = ()
) -> tuple[Variable, ...]:
    """The variables of dataset `domain` in IG model `model` (3.2, 3.3 or 3.4); a custom
    domain's are those of its class, among `columns`."""
    code = ig_domain(domain, columns)
    if code is None:
        return ()
    if code in domain_rows():
        return _ig_variables(code, model)
    cls = custom_class(code, columns)
    present = set(columns)
    return tuple(
        v for v in _custom_variables(code, cls, model) if v.core == REQ or v.name in present
    )


@cache
def _custom_variables(code: str, cls: str, model: str) -> tuple[Variable, ...]:
    """STUDYID, DOMAIN, USUBJID, --SEQ and the topic Req; the class's other variables Perm,
    typed as the IG types them in its domains of that class."""
    required = {"STUDYID", "DOMAIN", "USUBJID", f"{code}SEQ", f"{code}{CLASS_MODELS[cls].topic}"}
    templates = _class_templates(cls, model)
    variables = []
    for fragment in CLASS_MODELS[cls].fragments():
        name = f"{code}{fragment[2:]}" if fragment.startswith("--") else fragment
        template = templates.get(fragment)
        core = REQ if name in required else PERM
        numeric = template.numeric if template else False
        codelist = template.codelist if template else None
        variables.append(
            Variable(name, core, numeric, codelist, template.label if template else "")
        )
    return tuple(variables)


@cache
def _class_templates(cls: str, model: str) -> dict[str, Variable]:
    """The first IG variable of each `--` fragment in the standard domains of class `cls`."""
    templates: dict[str, Variable] = {}
    for code, row in domain_rows().items():
        if row.cls != cls or row.origin != "SDTMIG":
            continue
        for variable in _ig_variables(code, model):
            fragment = f"--{variable.name[2:]}" if variable.name.startswith(code) else variable.name
            templates.setdefault(fragment, variable)
    return templates


def keys_of(name: str, columns: Collection[str] = ()) -> tuple[str, ...]:
    """The variables that identify one record of dataset `name` (none known: empty): USUBJID in
    DM, USUBJID + --SEQ in a subject domain with --SEQ (a custom one too), else the IG's
    natural keys without STUDYID and Perm variables (SV: USUBJID + VISITNUM, TS: TSPARMCD +
    TSSEQ, TA: ARMCD + TAETORD).  SUPP-- records are keyed by their parent and QNAM, checked
    by the supp_qnam_unique rule."""
    code = ig_domain(name, columns)
    if code is None or code == SUPP:
        return ()
    if code not in domain_rows():
        return ("USUBJID", f"{code}SEQ")
    return _keys(code)


@cache
def _keys(code: str) -> tuple[str, ...]:
    names = {v.name: v for v in variable_rows().get(code, ())}
    if code == "DM":
        return ("USUBJID",)
    if {"USUBJID", f"{code}SEQ"} <= names.keys():
        return ("USUBJID", f"{code}SEQ")
    natural = domain_rows()[code].keys
    return tuple(k for k in natural if k != "STUDYID" and PERM not in names[k].cores.values())


def variable(
    domain: str, name: str, model: str = MODELS[-1], columns: Collection[str] = ()
) -> Variable | None:
    return _by_name(domain, model, tuple(columns)).get(name)


def checked_variables(
    domain: str, model: str = MODELS[-1], columns: Collection[str] = ()
) -> tuple[Variable, ...]:
    """The variables conformance rules hold dataset `domain` to: its IG table's, and each
    variable of the SDTM model among `columns` that the table lacks (VISITNUM in EX: a Perm
    variable typed as the IG types it in the other domains of the class, or of any class), so
    a model variable added to a domain is still held to its type."""
    listed = domain_variables(domain, model, columns)
    allowed = model_variables(domain, columns) or frozenset()
    names = {v.name for v in listed}
    added = [c for c in columns if c in allowed and c not in names]
    return listed + tuple(v for v in (_model_variable(domain, c, model) for c in added) if v)


def _model_variable(domain: str, name: str, model: str) -> Variable | None:
    """A model variable added to `domain`, as the IG defines it elsewhere (Perm)."""
    code = naming.domain_code(domain)
    fragment = f"--{name[2:]}" if name.startswith(code) else name
    row = domain_rows().get(code)
    cls = row.cls if row else None
    template = (_class_templates(cls, model).get(fragment) if cls else None) or _any_template(
        fragment, model
    )
    if template is None:
        return None
    return Variable(name, PERM, template.numeric, template.codelist, template.label)


def _any_template(fragment: str, model: str) -> Variable | None:
    for cls in CLASS_MODELS:
        found = _class_templates(cls, model).get(fragment)
        if found is not None:
            return found
    return None


@cache
def _by_name(domain: str, model: str, columns: tuple[str, ...]) -> dict[str, Variable]:
    return {v.name: v for v in domain_variables(domain, model, columns)}


def all_variable_names(code: str) -> frozenset[str]:
    """Every variable any IG model gives domain `code`."""
    return frozenset(v.name for v in variable_rows().get(code, ()))


def _study_day_pairs() -> dict[str, tuple[tuple[str, str], ...]]:
    pairs = {}
    for code in domain_rows():
        names = all_variable_names(code)
        found = tuple(
            (f"{code}{d}", f"{code}{y}")
            for d, y in DATE_DAY_SUFFIXES
            if {f"{code}{d}", f"{code}{y}"} <= names
        )
        if found:
            pairs[code] = found
    return pairs


def _start_end_pairs() -> dict[str, tuple[tuple[str, str], ...]]:
    pairs: dict[str, tuple[tuple[str, str], ...]] = {"DM": DM_START_END}
    for code in domain_rows():
        start, end = f"{code}STDTC", f"{code}ENDTC"
        if code != "DM" and {start, end} <= all_variable_names(code):
            pairs[code] = ((start, end),)
    return pairs


V = TypeVar("V")


class _Lazy(Mapping[str, V], Generic[V]):
    """A mapping built from the metadata on first use, so importing trialguard reads no file."""

    def __init__(self, build: Callable[[], dict[str, V]]) -> None:
        self._build = cache(build)

    def __getitem__(self, key: str) -> V:
        return self._build()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._build())

    def __len__(self) -> int:
        return len(self._build())


# (date variable, study-day variable) pairs checked against DM.RFSTDTC: --DTC/--DY,
# --STDTC/--STDY, --ENDTC/--ENDY wherever the IG gives a domain both.
STUDY_DAY_PAIRS: Mapping[str, tuple[tuple[str, str], ...]] = _Lazy(_study_day_pairs)
# (start, end) date pairs where the start is not after the end: --STDTC/--ENDTC (SE's
# SESTDTC/SEENDTC among them), and DM's reference dates, birth and informed consent.
START_END_PAIRS: Mapping[str, tuple[tuple[str, str], ...]] = _Lazy(_start_end_pairs)
KEYS: Mapping[str, tuple[str, ...]] = _Lazy(
    lambda: {c: keys_of(c) for c in domain_rows() if c != SUPP}
)
VARIABLES: Mapping[str, tuple[Variable, ...]] = _Lazy(
    lambda: {c: _ig_variables(c, MODELS[-1]) for c in domain_rows()}
)
