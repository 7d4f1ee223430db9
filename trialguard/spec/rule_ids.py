"""Rule ids as people type them: the known id nearest to a mistyped one."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

CLOSE_ENOUGH = 0.75  # difflib ratio: SD-STEM for SD-STEN, RES-AEG for RES-AGE


def nearest_id(typed: str, known: Iterable[str]) -> str | None:
    """The known id most like `typed` (case ignored), or None when none is close."""
    by_upper = {rule_id.upper(): rule_id for rule_id in known}
    wanted = typed.strip().upper()
    close = difflib.get_close_matches(wanted, list(by_upper), n=1, cutoff=CLOSE_ENOUGH)
    return by_upper[close[0]] if close else None
