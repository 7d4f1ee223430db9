"""The previous transfer: which one a run compares with (none on a first transfer), and a
previous trialguard JSON report read back as its run block and its findings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from trialguard.bounded import MAX_REPORT_BYTES, read_bounded
from trialguard.errors import InputError, UsageError
from trialguard.findings import Finding
from trialguard.report import Comparison


def previous_report(path: Path) -> tuple[dict[str, Any], list[Finding]]:
    """(run block, findings) of a JSON report; anything else is an InputError naming the file."""
    try:
        data = json.loads(read_bounded(path, "JSON report", MAX_REPORT_BYTES).decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(path, f"not a readable trialguard JSON report ({error})") from error
    if not isinstance(data, dict) or "findings" not in data or "schema_version" not in data:
        raise InputError(path, "not a trialguard JSON report (no schema_version and findings)")
    try:
        findings = [Finding.from_dict(entry) for entry in data["findings"]]
    except (KeyError, TypeError, ValueError) as error:
        raise InputError(path, f"a finding of the report is malformed ({error!r})") from error
    return data.get("run") or {}, findings


FIRST_TRANSFER_HINT = "on the first transfer, when there is none yet, add --first-transfer"


def previous_to_compare(
    previous: Path | None, *, first_transfer: bool, fail_on_new: bool
) -> Path | None:
    """The previous transfer to compare with, or None when there is none.

    With `first_transfer`, a previous path that does not exist yet or is an empty folder means
    this is the first transfer (every finding is new); without it, either is a UsageError naming
    the path.  `fail_on_new` gates on what is new since the previous transfer, so it needs
    `previous` or `first_transfer`."""
    if previous is None:
        if fail_on_new and not first_transfer:
            raise UsageError(
                "--fail-on-new gates on the findings new since the previous transfer: give "
                "--previous OLD (its folder or its accepted JSON report), or --first-transfer "
                "when there is no previous transfer yet"
            )
        return None
    if not previous.exists() and not previous.is_symlink():
        if first_transfer:
            return None
        raise InputError(previous, f"no such file or folder; {FIRST_TRANSFER_HINT}")
    if is_empty_folder(previous):
        if first_transfer:
            return None
        raise InputError(previous, f"an empty folder: no previous transfer; {FIRST_TRANSFER_HINT}")
    return previous


def is_empty_folder(path: Path) -> bool:
    """A folder holding nothing but hidden entries (a `.gitkeep` keeps a folder in git)."""
    if not path.is_dir():
        return False
    try:
        return all(entry.name.startswith(".") for entry in path.iterdir())
    except OSError:  # a folder that cannot be listed is not called empty: reading says why
        return False


def first_transfer_comparison(previous: Path | None) -> Comparison:
    """The comparison of a first transfer: nothing to compare with, every finding new."""
    where = "" if previous is None else f" ({previous} does not exist yet or is empty)"
    why = f"the first transfer (--first-transfer): there is no previous transfer{where}"
    shown = str(previous) if previous is not None else "none"
    return Comparison(shown, "first transfer", False, why)
