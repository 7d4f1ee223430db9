"""What the transfer-stage rules read: the study, the sender's manifest, the comparison with the
previous transfer, and the waivers with what each did."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from trialguard.readers.study import Study
from trialguard.report import Comparison, ReportFile, WaiverEntry
from trialguard.transfer.manifest import ManifestEntry
from trialguard.transfer.waivers import Waiver
from trialguard.validators.outcome import NotApplicable


@dataclass
class TransferContext:
    study: Study
    manifest_path: Path | None = None
    manifest: list[ManifestEntry] | None = None
    comparison: Comparison | None = None
    waivers_path: Path | None = None
    waivers: list[Waiver] | None = None
    waiver_entries: list[WaiverEntry] = field(default_factory=list)
    standard_files: list[ReportFile] = field(default_factory=list)  # the define.xml, the CT file

    def require_manifest(self) -> list[ManifestEntry]:
        if self.manifest is None:
            raise NotApplicable("no manifest given (--manifest)")
        return self.manifest

    def require_comparison(self) -> Comparison:
        if self.comparison is None:
            raise NotApplicable("no previous transfer given (--previous)")
        if not self.comparison.records_compared:
            raise NotApplicable(self.comparison.why_not or "records were not compared")
        return self.comparison

    def require_waivers(self) -> list[WaiverEntry]:
        if self.waivers is None:
            raise NotApplicable("no waivers file given (--waivers)")
        return self.waiver_entries
