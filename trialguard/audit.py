"""The JSON report as an audit record: a reproducible run identity, and `verify`, which re-hashes
the files a report names and says whether the report still belongs to them."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trialguard.bounded import MAX_REPORT_BYTES, read_bounded
from trialguard.errors import InputError
from trialguard.readers.dataset import FORMATS, sha256_of
from trialguard.report import InputInfo, ReportFile, SpecInfo, UnreadableFile


def fixed_run_id(
    tool_version: str,
    timestamp: str,
    command: str,
    spec: SpecInfo,
    inputs: list[InputInfo],
    files: list[ReportFile],
    unreadable: list[UnreadableFile],
) -> str:
    """A run id derived from a fixed start time and every file hashed: two runs on the same
    inputs then write byte-identical JSON."""
    parts = [tool_version, timestamp, command, spec.sha256]
    parts += [f"{i.path}:{i.sha256}" for i in inputs]
    parts += [f"{f.role}:{f.path}:{f.sha256}" for f in files]
    parts += [f"{u.path}:{u.sha256}" for u in unreadable]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


@dataclass
class Verification:
    unchanged: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    vanished: list[str] = field(default_factory=list)
    appeared: list[str] = field(default_factory=list)

    @property
    def matches(self) -> bool:
        return not (self.changed or self.vanished or self.appeared)


def load_report(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(read_bounded(path, "JSON report", MAX_REPORT_BYTES).decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(path, f"not a readable JSON report ({error})") from error
    if not isinstance(data, dict) or not isinstance(data.get("inputs"), list):
        raise InputError(path, "not a trialguard JSON report (no inputs list)")
    return data


def resolved_path(report: dict[str, Any], recorded: str) -> Path:
    """A path as the report recorded it, found from any folder: a relative path is taken
    against the folder the run was started in (`run.cwd`)."""
    path = Path(recorded)
    started_in = report.get("run", {}).get("cwd")
    if path.is_absolute() or not started_in:
        return path
    return Path(started_in) / path


def recorded_files(report: dict[str, Any], folder: Path | None) -> list[tuple[str, Path, str]]:
    """(what, where to look now, recorded SHA-256) for every file the report names."""
    files = []
    datasets = [(f"{e['dataset']} dataset", e) for e in report["inputs"]]
    datasets += [
        (f"unreadable {e['dataset']} file", e)
        for e in report.get("unreadable", [])
        if e.get("sha256")
    ]
    for what, entry in datasets:
        where = (
            folder / Path(entry["path"]).name if folder else resolved_path(report, entry["path"])
        )
        files.append((what, where, entry["sha256"]))
    for entry in report.get("spec", {}).get("files", []):
        files.append(("spec", resolved_path(report, entry["path"]), entry["sha256"]))
    for entry in report.get("files", []):
        files.append((entry["role"], resolved_path(report, entry["path"]), entry["sha256"]))
    return files


def verify(report: dict[str, Any], folder: Path | None = None) -> Verification:
    result = Verification()
    for what, path, recorded in recorded_files(report, folder):
        if not path.is_file() and not (what == "open-rules" and path.is_dir()):
            result.vanished.append(f"{path} ({what}) is gone")
            continue
        now = _folder_sha256(path) if path.is_dir() else sha256_of(path)
        if now != recorded:
            result.changed.append(f"{path} ({what}): SHA-256 was {recorded}, is now {now}")
        else:
            result.unchanged.append(f"{path} ({what})")
    result.appeared = _appeared(report, folder)
    return result


def _folder_sha256(path: Path) -> str:
    """A folder of open rules, hashed as the run hashed it."""
    from trialguard.openrules.folder import contents_sha256, rule_files

    return contents_sha256(rule_files(path))


def _searched_folders(report: dict[str, Any]) -> set[Path]:
    """The folders the run searched: those given as folders (`run.folders`); for an older
    report without it, the folders of the files read."""
    given = report.get("run", {}).get("folders")
    if given is not None:
        return {resolved_path(report, f) for f in given}
    read = report["inputs"] + report.get("unreadable", [])
    return {resolved_path(report, i["path"]).parent for i in read}


def _appeared(report: dict[str, Any], folder: Path | None) -> list[str]:
    """Data files now beside the inputs that the report neither read nor listed as skipped."""
    folders = {folder} if folder else _searched_folders(report)
    known = {Path(i["path"]).name for i in report["inputs"]}
    known |= {Path(s["path"]).name for s in report.get("skipped", [])}
    known |= {Path(u["path"]).name for u in report.get("unreadable", [])}
    new = []
    for place in sorted(f for f in folders if f.is_dir()):
        for path in sorted(place.iterdir()):
            if path.is_file() and path.suffix.lower() in FORMATS and path.name not in known:
                new.append(f"{path} is new: the report did not read it")
    return new
