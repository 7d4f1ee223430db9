"""The one pipeline: spec -> datasets -> study rules -> transfer rules -> waivers -> history ->
the finished Report.  The CLI and every other entry point call `validate`.

Its stages, in order: the request checked (`pipeline_request`), the transfer read
(`pipeline_inputs`), the study rules run (`check_study`), the transfer checked against the
previous one and the waivers (`pipeline_transfer`), the report built (`pipeline_report`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from trialguard.findings import RuleResult
from trialguard.openrules.coverage import without_covered
from trialguard.parallel import run_study_rules
from trialguard.pipeline_inputs import (
    given_folders,
    read_datasets,
    read_manifest_and_waivers,
    read_standards,
)
from trialguard.pipeline_report import (
    ReportParts,
    build_report,
    missing_datasets,
    protocol_assumptions,
)
from trialguard.pipeline_request import (
    FAIL_LEVELS,
    PathLike,
    ValidateCall,
    as_paths,
    fail_level,
    resolve_request,
)
from trialguard.pipeline_transfer import check_transfer, compare_with_previous, previous_findings
from trialguard.readers.limits import DEFAULT_MAX_FILE_BYTES
from trialguard.readers.study import Study
from trialguard.report import Report
from trialguard.runner import EVERY_RULE, Progress
from trialguard.selection import RuleSelection
from trialguard.spec.loader import Spec, rules_of_stage
from trialguard.standards import DEFAULT_STANDARDS, Standards
from trialguard.transfer.context import TransferContext
from trialguard.validators.context import StudyContext

__all__ = [
    "FAIL_LEVELS",
    "PathLike",
    "check_study",
    "compare_with_previous",
    "missing_datasets",
    "protocol_assumptions",
    "validate",
    "validate_study",
]


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

    `spec` is a bundled spec name, a YAML file or a loaded Spec.  `previous` is the previous
    transfer (its folder or its JSON report), `waivers` a waivers YAML file, `manifest` the
    sender's manifest.  `fail_on` is error, warning, notice or never; `fail_on_new` gates only
    on the findings new since `previous`; `first_transfer` says there may be no previous
    transfer yet (no `previous`, or one that does not exist yet or is an empty folder): every
    finding is then new.  `select` and `ignore` name the rules to run or leave out (ids, id
    prefixes such as "SD-", or categories such as "protocol"); `allow_not_run` the protocol
    rules whose not running does not make the run incomplete.  `ig` is the SDTMIG version to
    assume when the study states none (TS, define.xml); `ct` is an NCI EVS CT file (else the
    bundled codelists); `define` a define.xml (else one found in a folder given); `gx_suites`
    GX suite files to run as rules, by dataset (`{"DM": "dm.json"}` or `["DM=dm.json"]`).
    `timestamp` (ISO 8601 UTC) fixes the run time and makes the run id reproducible.
    `encoding` is the encoding of the text of every dataset file (UTF-8 unless given; without
    it, text that is not UTF-8 is read as Windows-1252 and noted); `delimiter` the CSV files'
    delimiter (commas unless given).  `max_file_size` refuses larger dataset files (bytes, or
    a size such as "500M"; 0 or None for no limit).  `dataset_names` says which dataset a file
    holds (`{"CDISC01_ae.xpt": "AE"}` or `["CDISC01_ae.xpt=AE"]`), above its file name and the
    name stored in it.  `open_rules` is a folder of CDISC Open Rules (a checkout of
    cdisc-open-rules or its Published/ folder) run beside the spec's rules.  `command` is the
    command line the report records (the call itself when not given), `progress` is called as
    each rule runs.  `jobs` is how many processes run the study's rules (default: every core
    for a study of at least `trialguard.options.MIN_RECORDS` records, else one).  Unusable
    input raises a `trialguard.errors.UsageError` naming the file.
    """
    paths = as_paths(paths)  # read once: a generator of paths is as good as a list
    call = ValidateCall(**locals())  # the arguments as given: nothing else is local yet
    request = resolve_request(call)
    transfer = read_manifest_and_waivers(manifest, waivers, request.spec)
    study = read_datasets(request)
    standards, transfer.standard_files = read_standards(request, study)
    return validate_study(
        study,
        request.spec,
        previous=previous,
        transfer=transfer,
        fail_on=fail_on,
        fail_on_new=fail_on_new,
        first_transfer=first_transfer,
        selection=request.selection,
        timestamp=request.timestamp,
        command=request.command,
        progress=progress,
        read_options=request.read_options,
        folders=given_folders(request),
        standards=standards,
        jobs=request.jobs,
    )


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
    level = fail_level(fail_on)
    context = StudyContext(study, spec, standards)
    results = check_study(context, selection, progress, jobs)
    transfer = dataclasses.replace(transfer or TransferContext(study), study=study)
    earlier = previous_findings(
        transfer,
        previous,
        spec,
        selection,
        read_options or {},
        standards,
        jobs,
        first_transfer=first_transfer,
        fail_on_new=fail_on_new,
    )
    results, comparison = check_transfer(results, transfer, earlier, spec, selection, timestamp)
    parts = ReportParts(study, context, results, transfer, comparison, folders, standards)
    return build_report(spec, parts, level, timestamp, command, previous, fail_on_new)


def check_study(
    context: StudyContext,
    selection: RuleSelection = EVERY_RULE,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> list[RuleResult]:
    """The results of the study rules, less the Open Rules findings a rule of the spec already
    reports."""
    rules = rules_of_stage(context.spec, "study")
    return without_covered(run_study_rules(rules, context, selection, progress, jobs))
