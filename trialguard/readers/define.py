"""What trialguard reads from a Define-XML document (1.0, 2.0, 2.1): the SDTMIG version.

The parser is hardened: no network access, no entity expansion, no DTD loading.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from trialguard.errors import InputError

if TYPE_CHECKING:
    from lxml import etree

ODM_NAMESPACES = ("http://www.cdisc.org/ns/odm/v1.2", "http://www.cdisc.org/ns/odm/v1.3")
DEF_NAMESPACES = (
    "http://www.cdisc.org/ns/def/v1.0",
    "http://www.cdisc.org/ns/def/v2.0",
    "http://www.cdisc.org/ns/def/v2.1",
)
MAX_DEFINE_BYTES = 100 * 1024 * 1024


def define_ig_version(path: Path) -> str | None:
    """The SDTMIG version the define names for DM (else for the study), or None."""
    return ig_version_of(metadata_version(path, parse_define(path)))


def metadata_version(path: Path, root: etree._Element) -> etree._Element:
    version = next((v for v in root.iter() if local_name(v.tag) == "MetaDataVersion"), None)
    if version is None:
        raise InputError(path, "no MetaDataVersion element: not a Define-XML document")
    return version


def ig_version_of(version: etree._Element) -> str | None:
    return _version_of_2_1(version) or _version_of_1_or_2(version)


def ct_versions_of(version: etree._Element) -> list[str]:
    """The SDTM CDISC CT releases a Define-XML 2.1 names (def:Standard Type="CT"), sorted."""
    versions = {
        s.get("Version") or ""
        for s in version.iter()
        if local_name(s.tag) == "Standard"
        and s.get("Type") == "CT"
        and s.get("PublishingSet") in ("SDTM", None)
    }
    return sorted(v for v in versions if v)


def parse_define(path: Path) -> etree._Element:
    from lxml import etree  # imported by a run that reads a define.xml, only

    if path.stat().st_size > MAX_DEFINE_BYTES:
        raise InputError(path, f"larger than {MAX_DEFINE_BYTES // 2**20} MB: not a define.xml")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        return etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as error:
        line = error.lineno or "?"
        raise InputError(path, f"line {line}: not well-formed XML ({error.msg})") from None
    except OSError as error:
        raise InputError(path, f"cannot be read ({error})") from None


def _version_of_1_or_2(version: etree._Element) -> str | None:
    name = (def_attribute(version, "StandardName") or "").upper()
    if "SDTM" not in name:  # SEND-IG, ADaM-IG: not the SDTMIG version
        return None
    return def_attribute(version, "StandardVersion")


def _version_of_2_1(version: etree._Element) -> str | None:
    """Define-XML 2.1 lists standards; the one DM points at wins, else the latest SDTMIG."""
    standards = {
        s.get("OID"): s.get("Version")
        for s in version.iter()
        if local_name(s.tag) == "Standard" and _is_sdtmig(s)
    }
    if not standards:
        return None
    for group in version.iter():
        if local_name(group.tag) == "ItemGroupDef" and group.get("Name") == "DM":
            chosen = standards.get(def_attribute(group, "StandardOID"))
            if chosen:
                return chosen
    return max((v for v in standards.values() if v), key=_version_key, default=None)


def _is_sdtmig(standard: etree._Element) -> bool:
    name = (standard.get("Name") or "").upper()
    sdtm_like = "SDTM" in name or "STDTM" in name  # CDISC's own example misspells it STDTMIG
    return standard.get("Type") == "IG" and sdtm_like and not name.endswith("-MD")


def def_attribute(element: etree._Element, name: str) -> str | None:
    for namespace in DEF_NAMESPACES:
        value = element.get(f"{{{namespace}}}{name}")
        if value is not None:
            return value
    return None


def local_name(tag: object) -> str:
    from lxml import etree

    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split(".") if p.isdigit())
