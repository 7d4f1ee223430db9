"""Reading a transfer: the sender's manifest and the waivers first (a broken file stops the run
before any dataset is read), then the datasets, then the define.xml and the standards the study
states, with every standards file the report lists and hashes."""

from __future__ import annotations

from pathlib import Path

from trialguard.openrules.rules import folder_notice
from trialguard.pipeline_request import PathLike, Request
from trialguard.readers.dataset import sha256_of
from trialguard.readers.study import Study, read_study
from trialguard.report import ReportFile
from trialguard.spec.loader import Spec
from trialguard.standards import Standards, find_define, study_standards
from trialguard.transfer.context import TransferContext
from trialguard.transfer.manifest import load_manifest
from trialguard.transfer.waivers import load_waivers, waivable_rule_ids


def read_manifest_and_waivers(
    manifest: PathLike | None, waivers: PathLike | None, spec: Spec
) -> TransferContext:
    """The transfer's context before its datasets are read: the manifest and the waivers (a
    waiver naming no rule of the spec among a waivers file's problems)."""
    context = TransferContext(Study(datasets={}))
    if manifest is not None:
        context.manifest_path = Path(manifest)
        context.manifest = load_manifest(context.manifest_path)
    if waivers is not None:
        context.waivers_path = Path(waivers)
        context.waivers = load_waivers(context.waivers_path, waivable_rule_ids(spec))
    return context


def read_datasets(request: Request) -> Study:
    """The datasets of the folders and files given, with a notice of the Open Rules folder."""
    study = read_study(request.paths, dataset_names=request.dataset_names, **request.read_options)
    if request.rule_folder is not None:
        study.notices.append(folder_notice(request.rule_folder))
    return study


def read_standards(request: Request, study: Study) -> tuple[Standards, list[ReportFile]]:
    """The IG and CT of the run (from TS, the define.xml, the options or the defaults) and the
    files they and the added rules came from: define.xml, CT, GX suites, Open Rules folder."""
    define = find_define(request.paths, request.define)
    pinned = request.spec.terminology.ct_release
    given = request.define is not None
    standards = study_standards(study, define, request.ig, request.ct, pinned, given)
    return standards, _standards_files(request, define)


def given_folders(request: Request) -> tuple[str, ...]:
    """The paths given that are folders (what a later audit searches for new files)."""
    return tuple(str(p) for p in request.paths if p.is_dir())


def _standards_files(request: Request, define: Path | None) -> list[ReportFile]:
    files = [ReportFile("define", str(define), sha256_of(define))] if define else []
    if request.ct is not None:
        files.append(ReportFile("ct", request.ct.source, request.ct.sha256 or ""))
    files += [ReportFile("gx-suite", str(s.path), s.sha256) for s in request.suites]
    if request.rule_folder is not None:
        folder = request.rule_folder
        files.append(ReportFile("open-rules", folder.path, folder.sha256))
    return files
