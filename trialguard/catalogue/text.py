"""Text for Markdown pages that Sphinx (myst-parser) reads with warnings as errors and people
read as plain text: punctuation that Markdown would act on is escaped, so a description is
never taken for emphasis, a link, raw HTML, a role or a column break of a table."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

# `_` is escaped only where it could open or close emphasis: not between two word characters
ACTIVE = re.compile(r"[\\`*\[\]$~{}]|<(?=[A-Za-z/!?])|(?<!\w)_|_(?!\w)|&(?=#?\w+;)")
# what would make a line a heading, a quote, a list item or a thematic break
BLOCK_MARKER = re.compile(r"^([#>+=-])")
LIST_NUMBER = re.compile(r"^(\d+)([.)])")
BACKTICKS = re.compile(r"`+")


def escaped(text: str) -> str:
    """Free text (a description, a source, a message) as literal Markdown inline text."""
    return ACTIVE.sub(lambda match: "\\" + match[0], " ".join(text.split()))


def paragraph(text: str) -> str:
    """Free text as a line of its own: as `escaped`, and never read as a heading, a quote, a
    list item or a thematic break."""
    inline = LIST_NUMBER.sub(r"\1\\\2", escaped(text), count=1)
    return BLOCK_MARKER.sub(r"\\\1", inline, count=1)


def cell(text: str) -> str:
    """Inline text (one line, as `escaped` and `code` make it) for a table cell: its `|` kept
    from splitting the row, inside code spans too."""
    return text.replace("|", "\\|")


def code(text: str) -> str:
    """A code span holding `text` exactly, its delimiters longer than any backtick run inside."""
    text = " ".join(text.split())
    longest = max((len(run) for run in BACKTICKS.findall(text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") or not text else text
    return f"{fence}{padded}{fence}"


def shown(value: Any) -> str:
    """A parameter or finding value as text: strings as they are (an empty one as ""), others
    as JSON writes them."""
    if isinstance(value, str) and value:
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A Markdown table of inline texts (already escaped or code spans)."""
    lines = [_row(header), _row(["---"] * len(header))]
    return lines + [_row(row) for row in rows]


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cell(text) for text in cells) + " |"


def heading(level: int, text: str) -> str:
    return f"{'#' * level} {text}"


def field(label: str, text: str) -> str:
    """One line of a rule's description list: `- **Label:** text`."""
    return f"- **{label}:** {text}"
