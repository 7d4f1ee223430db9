"""A rule's findings in a JSON report, counted twice: in its "rules" entry and in "findings".

    python benchmarks/report_counts.py REPORT.json RULE_ID

The report of a million findings is a gigabyte of text, so it is read in chunks and never held
whole: the head (the run, the spec and the "rules" list, before the findings) is decoded as
JSON, and the records of the top-level "findings" list are counted by their `"rule_id"`, up to
the "not_evaluable" list that follows it (its records carry rule ids too).  The patterns allow
any whitespace, so compact and indented reports count alike.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

CHUNK = 1 << 24
OVERLAP = 4096  # longer than any pattern below, so none is lost at a chunk's edge
HEAD_LIMIT = 1 << 28
FINDINGS_START = re.compile(rb'"findings"\s*:\s*\[')  # a rule's "findings" is a number
FINDINGS_END = re.compile(rb'"not_evaluable"\s*:\s*\[')
RULES_START = re.compile(rb'"rules"\s*:\s*\[')


def count_rule_findings(path: Path, rule_id: str) -> tuple[int | None, int]:
    """(the count in the rule's "rules" entry, or None if it has none; the records of the
    rule in the "findings" list)."""
    with path.open("rb") as file:
        chunks = iter(lambda: file.read(CHUNK), b"")
        head, rest = _read_head(chunks, path)
        return _rules_count(head, rule_id), _count_records(rest, chunks, rule_id)


def _read_head(chunks: Iterator[bytes], path: Path) -> tuple[bytes, bytes]:
    """The text before the top-level "findings" list, and what follows its opening bracket."""
    head = bytearray()
    for chunk in chunks:
        searched = max(0, len(head) - OVERLAP)
        head += chunk
        found = FINDINGS_START.search(head, searched)
        if found:
            return bytes(head[: found.start()]), bytes(head[found.end() :])
        if len(head) > HEAD_LIMIT:
            break
    raise SystemExit(f'{path}: no top-level "findings" list in the report\'s head')


def _rules_count(head: bytes, rule_id: str) -> int | None:
    start = RULES_START.search(head)
    if not start:
        return None
    text = head[start.end() - 1 :].decode("utf-8")
    rules, _ = json.JSONDecoder().raw_decode(text)
    counts = [rule.get("findings") for rule in rules if rule.get("id") == rule_id]
    return counts[0] if counts else None


def _count_records(first: bytes, chunks: Iterator[bytes], rule_id: str) -> int:
    record = re.compile(rb'"rule_id"\s*:\s*"' + re.escape(rule_id.encode()) + rb'"')
    count, carry = 0, b""
    for chunk in _chained(first, chunks):
        text = carry + chunk
        end = FINDINGS_END.search(text)
        hits = list(record.finditer(text, 0, end.start() if end else len(text)))
        count += len(hits)
        if end:
            return count
        consumed = hits[-1].end() if hits else 0
        carry = text[max(consumed, len(text) - OVERLAP) :]
    return count


def _chained(first: bytes, chunks: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from chunks


def main() -> None:
    in_rules, in_list = count_rule_findings(Path(sys.argv[1]), sys.argv[2])
    print(f"{sys.argv[2]}: {in_rules} in its rules entry, {in_list} in the findings list")


if __name__ == "__main__":
    main()
