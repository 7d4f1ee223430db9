"""The metadata a Define-XML document (2.0 and 2.1 in full, 1.0 for the basic fields) states of
each dataset: its variables (type, length, label, mandatory, key sequence, codelist), the
codelists' terms, and value-level metadata with its where clauses (2.0 and 2.1).

Parsed once, with the hardened parser of `readers.define`.  A document that is not XML is an
InputError naming the file and the line; what the schema requires but the document lacks (an
attribute, a reference that resolves, a whole number) is a `Problem` with its line, reported by
DEF-XML, and the metadata it spoils is left out rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from trialguard.readers.define import (
    ct_versions_of,
    def_attribute,
    ig_version_of,
    local_name,
    metadata_version,
    parse_define,
)

if TYPE_CHECKING:
    from lxml import etree

NUMERIC_TYPES = ("integer", "float")
COMPARATORS = ("EQ", "NE", "IN", "NOTIN", "LT", "LE", "GT", "GE")
# The attributes the Define-XML 2.0 and 2.1 schemas require of the elements trialguard reads
# ("def:" ones in the def namespace): the part of XSD validity the DEF- rules depend on.
REQUIRED = {
    "MetaDataVersion": ("OID", "Name", "def:DefineVersion"),
    "ItemGroupDef": ("OID", "Name", "Repeating", "Purpose", "def:Structure"),
    "ItemRef": ("ItemOID", "Mandatory"),
    "ItemDef": ("OID", "Name", "DataType"),
    "CodeList": ("OID", "Name", "DataType"),
    "ValueListDef": ("OID",),
    "WhereClauseDef": ("OID",),
    "RangeCheck": ("Comparator", "SoftHard", "def:ItemOID"),
}


@dataclass(frozen=True)
class Problem:
    """Something the Define-XML schema requires that an element of the document lacks."""

    line: int
    element: str
    oid: str
    problem: str  # e.g. "lacks the required attribute def:Structure"


@dataclass(frozen=True)
class DefineVariable:
    name: str
    data_type: str
    length: int | None
    label: str
    mandatory: bool
    key_sequence: int | None
    codelist: str | None  # CodeList OID
    value_list: str | None  # def:ValueListDef OID

    @property
    def numeric(self) -> bool:
        return self.data_type in NUMERIC_TYPES


@dataclass(frozen=True)
class Condition:
    """One RangeCheck of a where clause: `variable comparator values`."""

    variable: str  # "" when its ItemOID names no ItemDef: the condition selects nothing
    comparator: str  # one of COMPARATORS, else the condition selects nothing
    values: tuple[str, ...]


@dataclass(frozen=True)
class ValueLevel:
    """The metadata of a variable on the records where every condition holds."""

    conditions: tuple[Condition, ...] | None  # None: the where clause is unknown, selects nothing
    codelist: str | None
    mandatory: bool


@dataclass(frozen=True)
class DefineDataset:
    name: str
    variables: tuple[DefineVariable, ...]
    key_problem: str = ""  # why the define's KeySequence cannot be used, if it cannot

    def variable(self, name: str) -> DefineVariable | None:
        return next((v for v in self.variables if v.name == name), None)


@dataclass(frozen=True)
class Define:
    path: Path
    version: str  # "1.0", "2.0", "2.1"
    datasets: dict[str, DefineDataset]
    codelists: dict[str, frozenset[str]]  # OID -> coded values (external codelists absent)
    value_levels: dict[str, tuple[ValueLevel, ...]] = field(default_factory=dict)  # by list OID
    problems: tuple[Problem, ...] = ()
    ig_version: str | None = None  # the SDTMIG version it names
    ct_versions: tuple[str, ...] = ()  # the SDTM CT releases it names (2.1)


class _Reading:
    """The state of one reading: the ItemDefs by OID and the problems met so far."""

    def __init__(self, version: etree._Element) -> None:
        self.items = {e.get("OID"): e for e in version if local_name(e.tag) == "ItemDef"}
        self.items.pop(None, None)
        self.problems: list[Problem] = []

    def problem(self, element: etree._Element, text: str) -> None:
        oid = element.get("OID") or element.get("ItemOID") or ""
        self.problems.append(Problem(element.sourceline or 0, local_name(element.tag), oid, text))


def read_define(path: Path) -> Define:
    root = parse_define(path)
    version = metadata_version(path, root)
    reading, define_version = _Reading(version), _define_version(root)
    if define_version in ("2.0", "2.1"):
        _required_attributes(version, reading)
    datasets = {}
    for group in (e for e in version if local_name(e.tag) == "ItemGroupDef"):
        dataset = _dataset(group, reading)
        datasets[dataset.name] = dataset
    codelists = {
        c.get("OID"): _terms(c) for c in version if local_name(c.tag) == "CodeList" and c.get("OID")
    }
    return Define(
        path, define_version, datasets, {k: v for k, v in codelists.items() if k and v},
        _value_levels(version, reading), tuple(reading.problems), ig_version_of(version),
        tuple(ct_versions_of(version)),
    )  # fmt: skip


def _dataset(group: etree._Element, reading: _Reading) -> DefineDataset:
    name = (group.get("Name") or group.get("Domain") or "").upper()
    name = "DL" if name == "DLT" else name  # the DLT dataset's file name names domain DL
    variables, key_problem = [], ""
    for ref in (r for r in group if local_name(r.tag) == "ItemRef"):
        variable = _variable(ref, reading)
        if variable is None:
            continue
        if ref.get("KeySequence") is not None and variable.key_sequence is None:
            key_problem = f"gives {variable.name} KeySequence {ref.get('KeySequence')!r}"
        variables.append(variable)
    return DefineDataset(name, tuple(variables), key_problem)


def _variable(ref: etree._Element, reading: _Reading) -> DefineVariable | None:
    item = reading.items.get(ref.get("ItemOID"))
    if item is None:
        if ref.get("ItemOID"):
            reading.problem(ref, f"names no ItemDef (ItemOID {ref.get('ItemOID')})")
        return None
    child = {local_name(c.tag): c for c in item}
    return DefineVariable(
        name=(item.get("Name") or "").upper(),
        data_type=item.get("DataType") or "",
        length=_whole(item, "Length", reading),
        label=_label(item),
        mandatory=ref.get("Mandatory") == "Yes",
        key_sequence=_whole(ref, "KeySequence", reading),
        codelist=child["CodeListRef"].get("CodeListOID") if "CodeListRef" in child else None,
        value_list=child["ValueListRef"].get("ValueListOID") if "ValueListRef" in child else None,
    )


def _whole(element: etree._Element, attribute: str, reading: _Reading) -> int | None:
    """A positive whole number attribute; another value is a problem, and no number."""
    text = element.get(attribute)
    if text is None:
        return None
    if re.fullmatch(r"[0-9]+", text.strip()):
        return int(text)
    reading.problem(element, f"has {attribute} {text!r}, not a whole number")
    return None


def _label(item: etree._Element) -> str:
    """The Description's text (2.x), or the def:Label attribute (1.0)."""
    for element in item.iter():
        if local_name(element.tag) == "TranslatedText" and element.text:
            return element.text.strip()
    return (def_attribute(item, "Label") or "").strip()


def _terms(codelist: etree._Element) -> frozenset[str]:
    kinds = ("CodeListItem", "EnumeratedItem")
    return frozenset(e.get("CodedValue") or "" for e in codelist if local_name(e.tag) in kinds)


def _value_levels(version: etree._Element, reading: _Reading) -> dict[str, tuple[ValueLevel, ...]]:
    clauses = {
        w.get("OID"): _conditions(w, reading)
        for w in version
        if local_name(w.tag) == "WhereClauseDef" and w.get("OID")
    }
    levels = {}
    for value_list in (v for v in version if local_name(v.tag) == "ValueListDef"):
        entries = [
            _level(ref, clauses, reading) for ref in value_list if local_name(ref.tag) == "ItemRef"
        ]
        if value_list.get("OID"):
            levels[value_list.get("OID")] = tuple(e for e in entries if e is not None)
    return levels


def _level(ref: etree._Element, clauses: dict, reading: _Reading) -> ValueLevel | None:
    where = next((c for c in ref if local_name(c.tag) == "WhereClauseRef"), None)
    variable = _variable(ref, reading)
    if where is None or variable is None:  # Define-XML 1.0 value lists carry no where clause
        return None
    oid = where.get("WhereClauseOID")
    if oid not in clauses:
        reading.problem(where, f"names no WhereClauseDef ({oid})")
    return ValueLevel(clauses.get(oid), variable.codelist, variable.mandatory)


def _conditions(clause: etree._Element, reading: _Reading) -> tuple[Condition, ...]:
    checks = []
    for check in (c for c in clause if local_name(c.tag) == "RangeCheck"):
        item = reading.items.get(def_attribute(check, "ItemOID"))
        if item is None and def_attribute(check, "ItemOID"):
            reading.problem(check, f"names no ItemDef ({def_attribute(check, 'ItemOID')})")
        values = tuple(v.text or "" for v in check if local_name(v.tag) == "CheckValue")
        if not values:
            reading.problem(check, "has no CheckValue")
        comparator = check.get("Comparator") or ""
        if comparator and comparator not in COMPARATORS:
            reading.problem(
                check, f"has Comparator {comparator!r}, not one of {', '.join(COMPARATORS)}"
            )
        name = (item.get("Name") or "").upper() if item is not None else ""
        checks.append(Condition(name, comparator, values))
    return tuple(checks)


def _required_attributes(version: etree._Element, reading: _Reading) -> None:
    for element in version.iter():
        for attribute in REQUIRED.get(local_name(element.tag), ()):
            name = attribute.removeprefix("def:")
            value = (
                def_attribute(element, name) if attribute.startswith("def:") else element.get(name)
            )
            if value is None:
                reading.problem(element, f"lacks the required attribute {attribute}")


def _define_version(root: etree._Element) -> str:
    namespaces = set(root.nsmap.values())
    for version in ("2.1", "2.0", "1.0"):
        if f"http://www.cdisc.org/ns/def/v{version}" in namespaces:
            return version
    return "unknown"
