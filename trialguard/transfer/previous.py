"""A previous trialguard JSON report, read back as its run block and its findings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from trialguard.bounded import MAX_REPORT_BYTES, read_bounded
from trialguard.errors import InputError
from trialguard.findings import Finding


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
