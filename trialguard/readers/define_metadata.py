"""The metadata a Define-XML document (2.0 and 2.1 in full, 1.0 for the basic fields) states of
each dataset: its variables (type, length, label, mandatory, key sequence, codelist), the
codelists' terms, and value-level metadata with its where clauses (2.0 and 2.1).

Parsed with the hardened parser of `readers.define`; a document that cannot be read is an
InputError naming the file and the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from trialguard.errors import InputError
from trialguard.readers.define import def_attribute, local_name, parse_define

NUMERIC_TYPES = ("integer", "float")


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

    variable: str
    comparator: str  # EQ, NE, IN, NOTIN, LT, LE, GT, GE
    values: tuple[str, ...]


@dataclass(frozen=True)
class ValueLevel:
    """The metadata of a variable on the records where every condition holds."""

    conditions: tuple[Condition, ...]
    codelist: str | None
    mandatory: bool


@dataclass(frozen=True)
class DefineDataset:
    name: str
    variables: tuple[DefineVariable, ...]

    def variable(self, name: str) -> DefineVariable | None:
        return next((v for v in self.variables if v.name == name), None)


@dataclass(frozen=True)
class Omission:
    """An attribute the Define-XML 2.x schema requires that an element lacks."""

    line: int
    element: str
    oid: str
    attribute: str


@dataclass(frozen=True)
class Define:
    path: Path
    version: str  # "1.0", "2.0", "2.1"
    datasets: dict[str, DefineDataset]
    codelists: dict[str, frozenset[str]]  # OID -> coded values (external codelists absent)
    value_levels: dict[str, tuple[ValueLevel, ...]] = field(default_factory=dict)  # by list OID
    omissions: tuple[Omission, ...] = ()  # required attributes missing (2.0 and 2.1)


# The attributes the Define-XML 2.0 and 2.1 schemas require of the elements trialguard reads
# ("def:" ones in the def namespace).  Not a whole XSD validation: see `omissions`.
REQUIRED = {
    "MetaDataVersion": ("OID", "Name", "def:DefineVersion"),
    "ItemGroupDef": ("OID", "Name", "Repeating", "Purpose", "def:Structure"),
    "ItemRef": ("ItemOID", "Mandatory"),
    "ItemDef": ("OID", "Name", "DataType"),
    "CodeList": ("OID", "Name", "DataType"),
}


def read_define(path: Path) -> Define:
    root = parse_define(path)
    version = next((e for e in root.iter() if local_name(e.tag) == "MetaDataVersion"), None)
    if version is None:
        raise InputError(path, "no MetaDataVersion element: not a Define-XML document")
    elements = _by_kind(version)
    items = {e.get("OID"): e for e in elements.get("ItemDef", [])}
    datasets = {}
    for group in elements.get("ItemGroupDef", []):
        name = (group.get("Name") or group.get("Domain") or "").upper()
        refs = [r for r in group if local_name(r.tag) == "ItemRef"]
        datasets[name] = DefineDataset(name, tuple(_variable(path, r, items) for r in refs))
    define_version = _define_version(root)
    return Define(
        path,
        define_version,
        datasets,
        {c.get("OID") or "": _terms(c) for c in elements.get("CodeList", []) if _terms(c)},
        _value_levels(path, elements, items),
        omissions(version) if define_version in ("2.0", "2.1") else (),
    )


def omissions(version: etree._Element) -> tuple[Omission, ...]:
    """Every required attribute (REQUIRED) an element of the MetaDataVersion lacks."""
    found = []
    for element in version.iter():
        for attribute in REQUIRED.get(local_name(element.tag), ()):
            name = attribute.removeprefix("def:")
            value = (
                def_attribute(element, name) if attribute.startswith("def:") else element.get(name)
            )
            if value is None:
                oid = element.get("OID") or element.get("ItemOID") or ""
                found.append(
                    Omission(element.sourceline or 0, local_name(element.tag), oid, attribute)
                )
    return tuple(found)


def _by_kind(version: etree._Element) -> dict[str, list[etree._Element]]:
    kinds: dict[str, list[etree._Element]] = {}
    for element in version:
        kinds.setdefault(local_name(element.tag), []).append(element)
    return kinds


def _variable(path: Path, ref: etree._Element, items: dict) -> DefineVariable:
    item = items.get(ref.get("ItemOID"))
    if item is None:
        raise InputError(
            path, f"line {ref.sourceline}: ItemRef {ref.get('ItemOID')} names no ItemDef"
        )
    child = {local_name(c.tag): c for c in item}
    return DefineVariable(
        name=(item.get("Name") or "").upper(),
        data_type=item.get("DataType") or "",
        length=_integer(item.get("Length")),
        label=_label(item),
        mandatory=ref.get("Mandatory") == "Yes",
        key_sequence=_integer(ref.get("KeySequence")),
        codelist=child["CodeListRef"].get("CodeListOID") if "CodeListRef" in child else None,
        value_list=child["ValueListRef"].get("ValueListOID") if "ValueListRef" in child else None,
    )


def _label(item: etree._Element) -> str:
    """The Description's text (2.x), or the def:Label attribute (1.0)."""
    for element in item.iter():
        if local_name(element.tag) == "TranslatedText" and element.text:
            return element.text.strip()
    return (def_attribute(item, "Label") or "").strip()


def _terms(codelist: etree._Element) -> frozenset[str]:
    kinds = ("CodeListItem", "EnumeratedItem")
    return frozenset(e.get("CodedValue") or "" for e in codelist if local_name(e.tag) in kinds)


def _value_levels(path: Path, elements: dict, items: dict) -> dict[str, tuple[ValueLevel, ...]]:
    clauses = {w.get("OID"): _conditions(w, items) for w in elements.get("WhereClauseDef", [])}
    levels = {}
    for value_list in elements.get("ValueListDef", []):
        entries = []
        for ref in (r for r in value_list if local_name(r.tag) == "ItemRef"):
            where = next((c for c in ref if local_name(c.tag) == "WhereClauseRef"), None)
            if where is None:  # Define-XML 1.0 value lists carry no where clause
                continue
            variable = _variable(path, ref, items)
            conditions = clauses.get(where.get("WhereClauseOID"), ())
            entries.append(ValueLevel(conditions, variable.codelist, variable.mandatory))
        levels[value_list.get("OID") or ""] = tuple(entries)
    return levels


def _conditions(clause: etree._Element, items: dict) -> tuple[Condition, ...]:
    checks = []
    for check in (c for c in clause if local_name(c.tag) == "RangeCheck"):
        item = items.get(def_attribute(check, "ItemOID"))
        name = (item.get("Name") if item is not None else "") or ""
        values = tuple(v.text or "" for v in check if local_name(v.tag) == "CheckValue")
        checks.append(Condition(name.upper(), check.get("Comparator") or "EQ", values))
    return tuple(checks)


def _define_version(root: etree._Element) -> str:
    namespaces = set(root.nsmap.values())
    for version in ("2.1", "2.0", "1.0"):
        if f"http://www.cdisc.org/ns/def/v{version}" in namespaces:
            return version
    return "unknown"


def _integer(text: str | None) -> int | None:
    return int(text) if text and text.strip().isdigit() else None
