"""A validation as asked for, checked before any dataset is read: the spec with the rules added
to it (GX suites, CDISC Open Rules), the rules selected, every option normalised, the standards
given, and the command the report records.  A bad value stops the run here, naming the option.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trialguard.errors import UsageError
from trialguard.findings import Severity
from trialguard.gx.rules import with_gx_suites
from trialguard.openrules.folder import RuleFolder
from trialguard.openrules.rules import with_open_rules
from trialguard.options import (
    csv_delimiter,
    dataset_name_overrides,
    file_size_limit,
    job_count,
    known_encoding,
    utc_timestamp,
)
from trialguard.runner import Progress
from trialguard.sdtm.ct_release import CtRelease, load_ct_release
from trialguard.selection import RuleSelection
from trialguard.spec.loader import Spec, load_spec
from trialguard.standards import DEFAULT_STANDARDS, check_pinned_release, given_ig
from trialguard.transfer.previous import previous_to_compare
from trialguard.validators.gx.suites import GxSuite

PathLike = str | Path
FAIL_LEVELS: dict[str, Severity | None] = {
    "error": Severity.ERROR,
    "warning": Severity.WARNING,
    "notice": Severity.NOTICE,
    "never": None,
}


@dataclass(frozen=True)
class ValidateCall:
    """The arguments of `trialguard.validate`, as the caller gave them."""

    paths: PathLike | Iterable[PathLike]
    spec: str | Path | Spec
    previous: PathLike | None
    waivers: PathLike | None
    manifest: PathLike | None
    fail_on: str
    fail_on_new: bool
    first_transfer: bool
    select: str | Iterable[str]
    ignore: str | Iterable[str]
    allow_not_run: str | Iterable[str]
    ig: str | None
    ct: PathLike | None
    define: PathLike | None
    gx_suites: Mapping[str, PathLike] | Iterable[str]
    timestamp: str | None
    encoding: str | None
    delimiter: str | None
    max_file_size: int | str | None
    dataset_names: Mapping[str, str] | Iterable[str]
    open_rules: PathLike | None
    command: str
    progress: Progress | None
    jobs: int | None


@dataclass(frozen=True)
class Request:
    """A call with every option checked: what the stages after it read."""

    paths: list[Path]  # the folders and dataset files given
    define: Path | None  # the define.xml given (else one found in a folder given)
    spec: Spec  # with the rules of the GX suites and the Open Rules folder
    suites: list[GxSuite]
    rule_folder: RuleFolder | None
    selection: RuleSelection
    jobs: int | None
    timestamp: str | None  # normalised to UTC
    read_options: dict[str, Any]  # encoding, delimiter and file size limit, as read_study takes
    dataset_names: dict[str, str]  # file name -> the dataset it holds
    ig: str | None
    ct: CtRelease | None
    command: str  # as the report records it


def resolve_request(call: ValidateCall) -> Request:
    """Every option of `call` checked, in the order a caller reads the errors: the spec and the
    rules first, then the options of the run, then the standards."""
    spec = call.spec if isinstance(call.spec, Spec) else load_spec(str(call.spec))
    spec, suites = with_gx_suites(spec, call.gx_suites)
    spec, rule_folder = with_open_rules(spec, call.open_rules)
    selection = RuleSelection.of(call.select, call.ignore, call.allow_not_run)
    selection.check_against(spec)
    jobs, timestamp, read_options = _run_options(call)
    names = dataset_name_overrides(call.dataset_names)
    ig = given_ig(call.ig)
    release = load_ct_release(call.ct) if call.ct is not None else None
    check_pinned_release(release or DEFAULT_STANDARDS.ct, spec.terminology.ct_release)
    return Request(
        paths=as_paths(call.paths),
        define=Path(call.define) if call.define is not None else None,
        spec=spec,
        suites=suites,
        rule_folder=rule_folder,
        selection=selection,
        jobs=jobs,
        timestamp=timestamp,
        read_options=read_options,
        dataset_names=names,
        ig=ig,
        ct=release,
        command=call.command or _call_text(call, spec, selection, names, suites, ig),
    )


def _run_options(call: ValidateCall) -> tuple[int | None, str | None, dict[str, Any]]:
    """(jobs, timestamp, how to read the files), after the fail levels and the previous
    transfer are checked."""
    fail_level(call.fail_on)
    jobs = job_count(call.jobs)
    previous = as_path(call.previous)
    previous_to_compare(previous, first_transfer=call.first_transfer, fail_on_new=call.fail_on_new)
    timestamp = utc_timestamp(call.timestamp) if call.timestamp else None
    encoding, max_file_bytes = known_encoding(call.encoding), file_size_limit(call.max_file_size)
    delimiter = csv_delimiter(call.delimiter)
    read_options = {"encoding": encoding, "delimiter": delimiter, "max_file_bytes": max_file_bytes}
    return jobs, timestamp, read_options


def fail_level(fail_on: str) -> Severity | None:
    """The lowest severity that fails the run (`never`: None)."""
    if fail_on not in FAIL_LEVELS:
        raise UsageError(f"fail_on must be one of {', '.join(FAIL_LEVELS)}, not {fail_on!r}")
    return FAIL_LEVELS[fail_on]


def as_path(path: PathLike | None) -> Path | None:
    return None if path is None else Path(path)


def as_paths(paths: PathLike | Iterable[PathLike]) -> list[Path]:
    if isinstance(paths, str | Path):
        return [Path(paths)]
    return [Path(p) for p in paths]


def _call_text(
    call: ValidateCall,
    spec: Spec,
    selection: RuleSelection,
    names: dict[str, str],
    suites: list[GxSuite],
    ig: str | None,
) -> str:
    """What a library call asked for, recorded as the report's command (and in its run id)."""
    given = _given_options(call, names, suites, ig)
    options = [f"{k}={_shown(v)}" for k, v in given.items() if v is not None]
    options += [f"fail_on={call.fail_on!r}"]
    for name in ("select", "ignore", "allow_not_run"):
        if getattr(selection, name):
            options.append(f"{name}={list(getattr(selection, name))!r}")
    shown = [str(p) for p in as_paths(call.paths)]
    return f"trialguard.validate({shown!r}, spec={spec.id!r}, {', '.join(options)})"


def _given_options(
    call: ValidateCall, names: dict[str, str], suites: list[GxSuite], ig: str | None
) -> dict[str, Any]:
    """The files and standards options of a call, None where not given."""
    return {
        "previous": call.previous,
        "waivers": call.waivers,
        "manifest": call.manifest,
        "ig": ig,
        "ct": call.ct,
        "define": call.define,
        "open_rules": call.open_rules,
        "dataset_names": names or None,
        "gx_suites": [f"{s.dataset}={s.path}" for s in suites] or None,
        "fail_on_new": call.fail_on_new or None,
        "first_transfer": call.first_transfer or None,
    }


def _shown(value: Any) -> str:
    return repr(value) if isinstance(value, bool) else repr(str(value))
