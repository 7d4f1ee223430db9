"""The one Report of a run, built from what the stages produced: the run's identity (a run id
reproducible from a fixed timestamp and every file hashed), the spec, the inputs read and not
read, the datasets missing, the standards, the files used, the results and the comparison."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path

from trialguard.audit import fixed_run_id
from trialguard.findings import RuleResult, Severity
from trialguard.pipeline_request import PathLike
from trialguard.readers.dataset import Dataset, sha256_of
from trialguard.readers.study import Study
from trialguard.report import (
    Comparison,
    InputInfo,
    MissingDataset,
    Report,
    ReportFile,
    SpecInfo,
    StandardsInfo,
    UnreadableFile,
)
from trialguard.spec.loader import Spec
from trialguard.standards import DEFAULT_STANDARDS, Standards
from trialguard.timelines import build_timelines
from trialguard.transfer.context import TransferContext
from trialguard.validators.context import StudyContext
from trialguard.version import __version__


@dataclass(frozen=True)
class ReportParts:
    """What the stages produced, for the one Report built from them."""

    study: Study
    context: StudyContext
    results: list[RuleResult]
    transfer: TransferContext
    comparison: Comparison | None
    folders: tuple[str, ...] = ()  # the paths given that are folders
    standards: Standards = DEFAULT_STANDARDS


def build_report(
    spec: Spec,
    parts: ReportParts,
    fail_on: Severity | None,
    timestamp: str | None,
    command: str,
    previous: PathLike | None,
    fail_on_new: bool = False,
) -> Report:
    """The report of the run; `timestamp` fixes its start time and makes its run id reproducible."""
    study = parts.study
    inputs = [_input_info(d) for d in study.datasets.values()]
    unreadable = [UnreadableFile(u.dataset, u.path, u.reason, u.sha256) for u in study.unreadable]
    files = _report_files(parts.transfer, previous)
    spec_info = SpecInfo(
        spec.id, spec.version, spec.sha256, str(spec.path), spec.title, spec.files, spec.requires
    )
    started, run_id = _run_identity(timestamp, command, spec_info, inputs, files, unreadable)
    return Report(
        tool_version=__version__,
        run_id=run_id,
        started=started,
        command=command,
        spec=spec_info,
        inputs=inputs,
        results=parts.results,
        fail_on=fail_on,
        fail_on_new=fail_on_new,
        skipped=list(study.skipped),
        notices=list(study.notices),
        unreadable=unreadable,
        missing=missing_datasets(study, spec),
        study_ids=_study_ids(study),
        assumptions=protocol_assumptions(spec),
        draw_timelines=lambda: build_timelines(parts.context),
        files=files,
        comparison=parts.comparison,
        waivers=list(parts.transfer.waiver_entries),
        cwd=str(Path.cwd()),
        folders=list(parts.folders),
        standards=_standards_info(parts.standards),
    )


def _run_identity(
    timestamp: str | None,
    command: str,
    spec: SpecInfo,
    inputs: list[InputInfo],
    files: list[ReportFile],
    unreadable: list[UnreadableFile],
) -> tuple[str, str]:
    """(start time, run id): a fixed timestamp and a run id derived from it and every file
    hashed, else the time now and a random run id."""
    if timestamp:
        return timestamp, fixed_run_id(
            __version__, timestamp, command, spec, inputs, files, unreadable
        )
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), uuid.uuid4().hex


def missing_datasets(study: Study, spec: Spec) -> list[MissingDataset]:
    """The datasets the spec requires that were not supplied or could not be read."""
    missing = []
    for name in spec.requires:
        if name in study.datasets:
            continue
        unread = study.unread(name)
        why = f"could not be read ({unread.path}: {unread.reason})" if unread else "not supplied"
        missing.append(MissingDataset(name, why))
    return missing


def protocol_assumptions(spec: Spec) -> list[dict[str, str]]:
    """The protocol values (not rules) the spec marks as assumed, with their source."""
    protocol = spec.protocol
    assumed = []
    if protocol.day0 is not None and protocol.day0.assumed:
        day0 = protocol.day0
        assumed.append({"what": f"Day 0 is the {day0.extrt} infusion", "source": day0.source})
    if protocol.dlt_window is not None and protocol.dlt_window.assumed:
        window = protocol.dlt_window
        what = f"DLT window Day {window.first_day} to Day {window.last_day}"
        assumed.append({"what": what, "source": window.source})
    return assumed


def _standards_info(standards: Standards) -> StandardsInfo:
    ig, ct = standards.ig, standards.ct
    return StandardsInfo(
        ig.version, ig.model, ig.source, ig.note, ct.release, ct.source, ct.sha256,
        standards.ct_note,
    )  # fmt: skip


def _report_files(transfer: TransferContext, previous: PathLike | None) -> list[ReportFile]:
    files = list(transfer.standard_files)
    if transfer.manifest_path is not None:
        files.append(_file("manifest", transfer.manifest_path))
    if previous is not None and Path(previous).is_file():
        files.append(_file("previous", Path(previous)))
    if transfer.waivers_path is not None:
        files.append(_file("waivers", transfer.waivers_path))
    return files


def _file(role: str, path: Path) -> ReportFile:
    return ReportFile(role, str(path), sha256_of(path))


def _study_ids(study: Study) -> list[str]:
    found: set[str] = set()
    for dataset in study.datasets.values():
        if "STUDYID" in dataset.frame.columns:
            found.update(str(v) for v in dataset.frame["STUDYID"].dropna().unique())
    return sorted(found)


def _input_info(dataset: Dataset) -> InputInfo:
    return InputInfo(
        dataset=dataset.name,
        path=str(dataset.path),
        format=dataset.format,
        sha256=dataset.sha256,
        records=dataset.records,
        variables=len(dataset.frame.columns),
        taken_by=dataset.taken_by,
    )
