"""The parts of a validation report: the files read and left unread, the spec and standards
the study was judged by, the waivers and what they did, and what changed since the previous
transfer."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from trialguard.findings import Finding


@dataclass(frozen=True)
class InputInfo:
    dataset: str
    path: str
    format: str
    sha256: str
    records: int
    variables: int
    taken_by: str = "file name"  # how the file was matched: its name, its stored name, given

    @property
    def file_name(self) -> str:
        return Path(self.path).name

    @property
    def by_file_name(self) -> bool:
        return self.taken_by == "file name"

    @property
    def taken_by_text(self) -> str:
        """How the file was taken as its dataset: `by its XPT member name`, `by --dataset-name`."""
        return (
            "by --dataset-name" if self.taken_by == "--dataset-name" else f"by its {self.taken_by}"
        )


@dataclass(frozen=True)
class SpecInfo:
    id: str
    version: str
    sha256: str
    path: str
    title: str
    files: tuple[tuple[str, str], ...] = ()  # (path, sha256) of the spec and the specs it extends
    requires: tuple[str, ...] = ()  # datasets without which a transfer is incomplete


@dataclass(frozen=True)
class StandardsInfo:
    """The SDTMIG version and CT release the study was judged by, and where each came from."""

    ig_version: str = "3.4"
    ig_model: str = "3.4"  # the version whose model judged it (3.1.2 to 3.2 share one)
    ig_source: str = "default"
    ig_note: str = ""
    ct_release: str = ""
    ct_source: str = "bundled"
    ct_sha256: str | None = None
    ct_note: str = ""  # e.g. the define.xml names another CT release

    @property
    def ig_title(self) -> str:
        if self.ig_source == "default":
            return f"SDTMIG {self.ig_version} (the default: the study states no version)"
        return f"SDTMIG {self.ig_version} (from {self.ig_source})"

    @property
    def ct_title(self) -> str:
        if self.ct_source == "bundled":
            return f"bundled codelists (closed ones as in CDISC CT {self.ct_release}; no --ct)"
        return f"CDISC CT {self.ct_release} ({self.ct_source})"


@dataclass(frozen=True)
class UnreadableFile:
    """A dataset file that could not be used, and why."""

    dataset: str
    path: str
    reason: str
    sha256: str | None = None  # None when the file was too large to hash


@dataclass(frozen=True)
class MissingDataset:
    """A dataset the spec requires that the transfer does not hold in usable form."""

    dataset: str
    reason: str  # "not supplied" or "could not be read (...)"


@dataclass(frozen=True)
class ReportFile:
    """A file besides the datasets that the run rests on: waivers, manifest, previous report."""

    role: str
    path: str
    sha256: str


@dataclass(frozen=True)
class WaiverEntry:
    """One waiver of the --waivers file and what it did in this run."""

    number: int
    rule: str
    subject: str | None
    dataset: str | None
    seq: int | str | None
    reason: str
    approver: str
    expires: str
    state: Literal["applied", "unused", "expired"]
    matched: int


@dataclass(frozen=True)
class Comparison:
    """What changed since the previous transfer (--previous)."""

    previous_path: str
    previous_kind: Literal["folder", "json report", "first transfer"]
    records_compared: bool
    why_not: str | None = None
    previous_run: dict[str, Any] | None = None  # the previous JSON report's run block
    datasets: dict[str, dict[str, Any]] = field(default_factory=dict)  # per-dataset changes
    subjects_removed: list[str] = field(default_factory=list)
    subjects_added: list[str] = field(default_factory=list)
    critical_changes: list[dict[str, Any]] = field(default_factory=list)
    not_compared: list[str] = field(default_factory=list)
    resolved: list[Finding] = field(default_factory=list)  # previous findings not met again
