"""The other ids a rule is known by, read from its source: its Pinnacle 21 ids (SD0072), its
publishers' ids (FDA FDAC065 or FB3208, CDISC CG0628) and its CDISC CORE ids (CORE-000538).

A spec cites them in a rule's source (`Pinnacle 21 SD0072 (FDA FDAC065), SD0075 (FDAC066);
CORE-000538`), and an open rule names its CORE id and the ids of its Authorities (`CDISC Open
Rules CORE-000707 ...; FDA FB3208 (SDTMIG 3.2)`).  A range (`CORE-000123 to CORE-000131`,
`SD2201-SD2219`) is listed id by id when it spans up to LONGEST_RANGE ids, and as written when
wider.  A rule that cites none has blank ids.
"""

from __future__ import annotations

import re

CitedIds = tuple[str, str, str]  # Pinnacle 21, publisher, CORE: each a comma-separated list
NO_IDS: CitedIds = ("", "", "")

CORE_ID = re.compile(r"\b(?P<prefix>CORE-)(?P<first>\d+)(?: to CORE-(?P<last>\d+))?\b")
P21_CITATION = re.compile(r"Pinnacle 21 ([^;]*)")
P21_ID = re.compile(r"\b(?P<prefix>[A-Z]{2})(?P<first>\d{4})(?:-(?P=prefix)(?P<last>\d{4}))?\b")
PUBLISHER_ID = re.compile(
    r"\b(?P<prefix>FDA[A-Z]|CG)(?P<first>\d{3,4})(?:-(?P=prefix)(?P<last>\d{3,4}))?\b"
)
CITED_ID = re.compile(r"\b(?:CDISC|FDA|PMDA) ([A-Za-z][\w.]*\d) \(SDTMIG")
LONGEST_RANGE = 20  # ids a range is listed by one by one; a wider one is shown as written


def cited_ids(rule_id: str, source: str) -> CitedIds:
    """The Pinnacle 21, publisher and CORE ids of one rule, each joined by commas; a rule whose
    own id is a CORE id (an open rule) counts it among its CORE ids."""
    p21 = [i for part in P21_CITATION.findall(source) for i in _ids(P21_ID, part)]
    publisher = _ids(PUBLISHER_ID, source) + CITED_ID.findall(source)
    core = _ids(CORE_ID, f"{rule_id} {source}")
    return _joined(p21), _joined(publisher), _joined(core)


def _ids(pattern: re.Pattern[str], text: str) -> list[str]:
    return [i for match in pattern.finditer(text) for i in _expanded(match)]


def _expanded(match: re.Match[str]) -> list[str]:
    """The ids one match names: one id, or every id of a range (`SD2201-SD2219`)."""
    prefix, first, last = match["prefix"], match["first"], match["last"]
    if last is None:
        return [prefix + first]
    start, end = int(first), int(last)
    if not 0 <= end - start < LONGEST_RANGE:
        return [match[0]]
    return [f"{prefix}{n:0{len(first)}d}" for n in range(start, end + 1)]


def _joined(ids: list[str]) -> str:
    return ", ".join(dict.fromkeys(ids))
