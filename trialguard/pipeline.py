"""The one pipeline: spec -> datasets -> study rules -> transfer rules -> waivers -> history ->
the finished Report.  The CLI and every other entry point call `validate`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trialguard import __version__
from trialguard.audit import fixed_run_id
from trialguard.errors import InputError, UsageError
from trialguard.findings import Finding, RuleResult, Severity
from trialguard.gx.rules import with_gx_suites
from trialguard.openrules.coverage import without_covered
from trialguard.openrules.rules import folder_notice, with_open_rules
from trialguard.options import (
    csv_delimiter,
    dataset_name_overrides,
    file_size_limit,
    job_count,
    known_encoding,
    utc_timestamp,
)
from trialguard.parallel import run_study_rules
from trialguard.readers.dataset import sha256_of
from trialguard.readers.limits import DEFAULT_MAX_FILE_BYTES
from trialguard.readers.study import Study, read_study
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
from trialguard.runner import EVERY_RULE, Progress, run_rules
from trialguard.sdtm.ct_release import CtRelease, load_ct_release
from trialguard.selection import RuleSelection
from trialguard.spec.loader import Spec, load_spec, rules_of_stage
from trialguard.standards import (
    DEFAULT_STANDARDS,
    Standards,
    check_pinned_release,
    find_define,
    given_ig,
    study_standards,
)
from trialguard.timelines import build_timelines
from trialguard.transfer.compare import compare_studies
from trialguard.transfer.context import TransferContext
from trialguard.transfer.history import mark_history
from trialguard.transfer.manifest import load_manifest
from trialguard.transfer.previous import (
    first_transfer_comparison,
    previous_report,
    previous_to_compare,
)
from trialguard.transfer.waivers import apply_waivers, load_waivers, waivable_rule_ids
from trialguard.validators.context import StudyContext

PathLike = str | Path
FAIL_LEVELS: dict[str, Severity | None] = {
    "error": Severity.ERROR,
    "warning": Severity.WARNING,
    "notice": Severity.NOTICE,
    "never": None,
}


def validate(
    paths: PathLike | Iterable[PathLike],
    spec: str | Path | Spec,
    *,
    previous: PathLike | None = None,
    waivers: PathLike | None = None,
    manifest: PathLike | None = None,
    fail_on: str = "error",
    fail_on_new: bool = False,
    first_transfer: bool = False,
    select: str | Iterable[str] = (),
    ignore: str | Iterable[str] = (),
    allow_not_run: str | Iterable[str] = (),
    ig: str | None = None,
    ct: PathLike | None = None,
    define: PathLike | None = None,
    gx_suites: Mapping[str, PathLike] | Iterable[str] = (),
    timestamp: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    max_file_size: int | str | None = DEFAULT_MAX_FILE_BYTES,
    dataset_names: Mapping[str, str] | Iterable[str] = (),
    open_rules: PathLike | None = None,
    command: str = "",
    progress: Progress | None = None,
    jobs: int | None = None,
) -> Report:
    """Validate a transfer (folders or dataset files) against a spec; returns the finished report.

    `spec` is a bundled spec name, a YAML file or a loaded Spec; `fail_on` is error, warning,
    notice or never; `fail_on_new` gates only on the findings new since `previous` (its folder
    or its JSON report); `first_transfer` says there may be no previous transfer yet (no
    `previous`, or one that does not exist yet or is an empty folder): every finding is then
    new.  `ig` is the SDTMIG version to assume when the study states none (TS,
    define.xml); `ct` is an NCI EVS CT file (else the bundled codelists); `define` a define.xml
    (else one found in a folder given); `gx_suites` GX suite files to run as rules, by dataset
    (`{"DM": "dm.json"}` or `["DM=dm.json"]`).  `timestamp` (ISO 8601 UTC) fixes the run time
    and makes the run id reproducible.  `encoding` and `delimiter` say how CSV files are written
    (UTF-8 and commas unless given; without `encoding`, text that is not UTF-8 is read as
    Windows-1252 and noted).  `dataset_names` says which dataset a file holds
    (`{"CDISC01_ae.xpt": "AE"}` or `["CDISC01_ae.xpt=AE"]`), above its file name and the name
    stored in it.  `open_rules` is a folder of CDISC Open Rules (a checkout of
    cdisc-open-rules or its Published/ folder) run beside the spec's rules.  `jobs` is how many
    processes run the study's rules (default: every core for a study of at least
    `trialguard.options.MIN_RECORDS` records, else one).  Unusable input raises a
    `trialguard.errors.UsageError` naming the file.
    """
    loaded = spec if isinstance(spec, Spec) else load_spec(str(spec))
    loaded, suites = with_gx_suites(loaded, gx_suites)
    loaded, rule_folder = with_open_rules(loaded, open_rules)
    selection = RuleSelection.of(select, ignore, allow_not_run)
    selection.check_against(loaded)
    _fail_level(fail_on)
    jobs = job_count(jobs)
    previous_to_compare(_path(previous), first_transfer=first_transfer, fail_on_new=fail_on_new)
    timestamp = utc_timestamp(timestamp) if timestamp else None
    encoding, max_file_size = known_encoding(encoding), file_size_limit(max_file_size)
    delimiter = csv_delimiter(delimiter)
    names = dataset_name_overrides(dataset_names)
    ig = given_ig(ig)
    release = load_ct_release(ct) if ct is not None else None
    check_pinned_release(release or DEFAULT_STANDARDS.ct, loaded.terminology.ct_release)
    given: dict[str, Any] = {"ig": ig, "ct": ct, "define": define, "open_rules": open_rules}
    if names:
        given["dataset_names"] = names
    if suites:
        given["gx_suites"] = [f"{s.dataset}={s.path}" for s in suites]
    given |= {"fail_on_new": fail_on_new or None, "first_transfer": first_transfer or None}
    command = command or _call_text(
        paths, loaded, previous, waivers, manifest, fail_on, selection, given
    )
    transfer = _transfer_inputs(manifest, waivers, loaded)
    read_options: dict[str, Any] = {
        "encoding": encoding,
        "delimiter": delimiter,
        "max_file_bytes": max_file_size,
    }
    study = read_study(_paths(paths), dataset_names=names, **read_options)
    if rule_folder is not None:
        study.notices.append(folder_notice(rule_folder))
    define_path = find_define(_paths(paths), Path(define) if define is not None else None)
    standards = study_standards(
        study, define_path, ig, release, loaded.terminology.ct_release, define is not None
    )
    transfer.standard_files = _standard_files(define_path, release) + [
        ReportFile("gx-suite", str(s.path), s.sha256) for s in suites
    ]
    if rule_folder is not None:
        transfer.standard_files.append(
            ReportFile("open-rules", rule_folder.path, rule_folder.sha256)
        )
    return validate_study(
        study,
        loaded,
        previous=previous,
        transfer=transfer,
        fail_on=fail_on,
        fail_on_new=fail_on_new,
        first_transfer=first_transfer,
        selection=selection,
        timestamp=timestamp,
        command=command,
        progress=progress,
        read_options=read_options,
        folders=tuple(str(p) for p in _paths(paths) if p.is_dir()),
        standards=standards,
        jobs=jobs,
    )


def _standard_files(define: Path | None, ct: CtRelease | None) -> list[ReportFile]:
    files = [ReportFile("define", str(define), sha256_of(define))] if define else []
    if ct is not None:
        files.append(ReportFile("ct", ct.source, ct.sha256 or ""))
    return files


def validate_study(
    study: Study,
    spec: Spec,
    *,
    previous: PathLike | None = None,
    transfer: TransferContext | None = None,
    fail_on: str = "error",
    fail_on_new: bool = False,
    first_transfer: bool = False,
    selection: RuleSelection = EVERY_RULE,
    timestamp: str | None = None,
    command: str = "",
    progress: Progress | None = None,
    read_options: dict[str, Any] | None = None,
    folders: tuple[str, ...] = (),
    standards: Standards = DEFAULT_STANDARDS,
    jobs: int | None = None,
) -> Report:
    """The pipeline after reading: `study` already read (e.g. built in memory by a test)."""
    level = _fail_level(fail_on)
    context = StudyContext(study, spec, standards)
    results = without_covered(
        run_study_rules(rules_of_stage(spec, "study"), context, selection, progress, jobs)
    )
    transfer = dataclasses.replace(transfer or TransferContext(study), study=study)
    earlier: list[Finding] | None = None
    compared = previous_to_compare(
        _path(previous), first_transfer=first_transfer, fail_on_new=fail_on_new
    )
    if compared is not None:
        transfer.comparison, earlier = compare_with_previous(
            compared, study, spec, selection, read_options or {}, standards, jobs
        )
    elif first_transfer:
        transfer.comparison, earlier = first_transfer_comparison(_path(previous)), []
    results += run_rules(rules_of_stage(spec, "transfer"), transfer, selection)
    today = dt.date.fromisoformat(timestamp[:10]) if timestamp else dt.datetime.now(dt.UTC).date()
    if transfer.waivers is not None:
        results, transfer.waiver_entries = apply_waivers(results, transfer.waivers, today)
    results += run_rules(rules_of_stage(spec, "waivers"), transfer, selection)
    comparison = transfer.comparison
    if comparison is not None and earlier is not None:
        results, resolved = mark_history(results, earlier, set(study.datasets))
        comparison = dataclasses.replace(comparison, resolved=resolved)
    parts = _Parts(study, context, results, transfer, comparison, folders, standards)
    return _build_report(spec, parts, level, timestamp, command, previous, fail_on_new)


@dataclass(frozen=True)
class _Parts:
    """What the stages produced, for the one Report built from them."""

    study: Study
    context: StudyContext
    results: list[RuleResult]
    transfer: TransferContext
    comparison: Comparison | None
    folders: tuple[str, ...] = ()  # the paths given that are folders
    standards: Standards = DEFAULT_STANDARDS


def _call_text(
    paths, spec: Spec, previous, waivers, manifest, fail_on, selection, standards_given
) -> str:
    """What a library call asked for, recorded as the report's command (and in its run id)."""
    given = {"previous": previous, "waivers": waivers, "manifest": manifest} | standards_given
    options = [f"{k}={_shown(v)}" for k, v in given.items() if v is not None]
    options += [f"fail_on={fail_on!r}"]
    for name in ("select", "ignore", "allow_not_run"):
        if getattr(selection, name):
            options.append(f"{name}={list(getattr(selection, name))!r}")
    shown = [str(p) for p in _paths(paths)]
    return f"trialguard.validate({shown!r}, spec={spec.id!r}, {', '.join(options)})"


def _shown(value: Any) -> str:
    return repr(value) if isinstance(value, bool) else repr(str(value))


def _fail_level(fail_on: str) -> Severity | None:
    if fail_on not in FAIL_LEVELS:
        raise UsageError(f"fail_on must be one of {', '.join(FAIL_LEVELS)}, not {fail_on!r}")
    return FAIL_LEVELS[fail_on]


def _path(path: PathLike | None) -> Path | None:
    return None if path is None else Path(path)


def _paths(paths: PathLike | Iterable[PathLike]) -> list[Path]:
    if isinstance(paths, str | Path):
        return [Path(paths)]
    return [Path(p) for p in paths]


def _transfer_inputs(
    manifest: PathLike | None, waivers: PathLike | None, spec: Spec
) -> TransferContext:
    """The manifest and waivers, read before the datasets: a broken file stops the run early
    (a waiver naming no rule of the spec among its problems)."""
    empty = Study(datasets={})
    context = TransferContext(empty)
    if manifest is not None:
        context.manifest_path = Path(manifest)
        context.manifest = load_manifest(context.manifest_path)
    if waivers is not None:
        context.waivers_path = Path(waivers)
        context.waivers = load_waivers(context.waivers_path, waivable_rule_ids(spec))
    return context


def compare_with_previous(
    previous: Path,
    study: Study,
    spec: Spec,
    selection: RuleSelection,
    read_options: dict[str, Any],
    standards: Standards = DEFAULT_STANDARDS,
    jobs: int | None = None,
) -> tuple[Comparison, list[Finding]]:
    """The comparison with the previous transfer and the previous findings, from its folder
    (records compared, findings recomputed) or from its JSON report (findings only)."""
    if previous.is_file() and previous.suffix.lower() == ".json":
        run, findings = previous_report(previous)
        why = (
            "the previous transfer was given as a JSON report, which holds findings but no "
            "records; give its folder to compare records"
        )
        return Comparison(str(previous), "json report", False, why, previous_run=run), findings
    old = read_study([previous], **read_options)
    if old.unreadable:
        first = old.unreadable[0]
        raise InputError(first.path, f"the previous transfer cannot be compared: {first.reason}")
    product = spec.protocol.day0.extrt if spec.protocol.day0 else None
    changes = compare_studies(old, study, product)
    old_context = StudyContext(old, spec, standards)
    old_results = run_study_rules(rules_of_stage(spec, "study"), old_context, selection, jobs=jobs)
    findings = [f for result in old_results for f in result.findings]
    return Comparison(str(previous), "folder", True, **changes), findings


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


def _build_report(
    spec: Spec,
    parts: _Parts,
    fail_on: Severity | None,
    timestamp: str | None,
    command: str,
    previous: PathLike | None,
    fail_on_new: bool = False,
) -> Report:
    study = parts.study
    inputs = [_input_info(d) for d in study.datasets.values()]
    unreadable = [UnreadableFile(u.dataset, u.path, u.reason, u.sha256) for u in study.unreadable]
    files = _report_files(parts.transfer, previous)
    spec_info = SpecInfo(
        spec.id, spec.version, spec.sha256, str(spec.path), spec.title, spec.files, spec.requires
    )
    if timestamp:
        started = timestamp
        run_id = fixed_run_id(__version__, timestamp, command, spec_info, inputs, files, unreadable)
    else:
        started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        run_id = uuid.uuid4().hex
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


def _input_info(dataset) -> InputInfo:
    return InputInfo(
        dataset=dataset.name,
        path=str(dataset.path),
        format=dataset.format,
        sha256=dataset.sha256,
        records=dataset.records,
        variables=len(dataset.frame.columns),
        taken_by=dataset.taken_by,
    )
