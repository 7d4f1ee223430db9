"""Reading a folder of CDISC Open Rules (a checkout of cdisc-open-rules, or its Published/
folder): every `rule.yml` under it, each checked against the rule format's JSON Schema when
the folder carries it, the folder's git commit and a SHA-256 of the rules read.

A rule that cannot be read, does not validate, or is a draft is listed with the reason (it is
reported as not run), never a crash; a folder without any rule is a usage error.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from trialguard.errors import UsageError
from trialguard.openrules.model import OpenRule, RuleProblem, parse_rule
from trialguard.openrules.schema_check import SchemaCheck, schema_path

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml where installed


@dataclass(frozen=True)
class Unloaded:
    """A rule.yml of the folder that is not run, and why."""

    path: str
    rule_id: str
    reason: str


@dataclass(frozen=True)
class RuleFolder:
    path: str
    rules: tuple[OpenRule, ...]
    unloaded: tuple[Unloaded, ...] = ()
    sha256: str = ""
    commit: str | None = None
    schema: str | None = None  # the JSON Schema the rules were checked against
    drafts: int = 0  # rules of Status Draft, not run
    notes: tuple[str, ...] = field(default_factory=tuple)


def read_rule_folder(folder: str | Path) -> RuleFolder:
    root = Path(folder)
    if not root.is_dir():
        raise UsageError(f"--open-rules {folder}: not a folder of CDISC Open Rules")
    if not any(root.rglob("rule.yml")):
        raise UsageError(
            f"--open-rules {folder}: no rule.yml under it (give a checkout of "
            "cdisc-org/cdisc-open-rules or its Published/ folder)"
        )
    contents = rule_files(root)
    sha256 = contents_sha256(contents)
    schema = schema_path(root)
    key = (str(root.resolve()), sha256, str(schema))
    if key not in _READ:  # the rules of one folder, as read and checked, kept for the process
        _READ[key] = _parsed(root, contents, sha256, schema)
    return _READ[key]


def rule_files(root: Path) -> dict[str, bytes]:
    """Every rule.yml under `root`, by its path relative to `root`, in order."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("rule.yml"))}


def contents_sha256(contents: dict[str, bytes]) -> str:
    """The SHA-256 a report records for a folder of rules: over each rule's path and bytes."""
    digest = hashlib.sha256()
    for relative, raw in contents.items():
        digest.update(relative.encode() + b"\0" + raw + b"\0")
    return digest.hexdigest()


_READ: dict[tuple[str, str, str], RuleFolder] = {}


def _parsed(root: Path, contents: dict[str, bytes], sha256: str, schema: Path | None) -> RuleFolder:
    validator = SchemaCheck(schema) if schema else None
    rules: list[OpenRule] = []
    unloaded: list[Unloaded] = []
    drafts = 0
    for relative, raw in contents.items():
        try:
            data = _yaml(raw)
            if _status(data) not in ("Published", ""):
                drafts += 1
                continue
            if validator is not None:
                validator.check(raw, data)
            rule = parse_rule(data, relative)
        except RuleProblem as problem:
            unloaded.append(Unloaded(relative, relative.rsplit("/", 2)[-2], str(problem)))
            continue
        if rule.ig_versions:  # a rule of other standards only (SEND, TIG) is not for SDTM
            rules.append(rule)
    if validator is not None:
        validator.save()
    return RuleFolder(
        path=str(root),
        rules=tuple(_first_of_each_id(rules, unloaded)),
        unloaded=tuple(unloaded),
        sha256=sha256,
        commit=git_commit(root),
        schema=str(validator.path) if validator else None,
        drafts=drafts,
    )


def _yaml(raw: bytes) -> Any:
    try:
        return yaml.load(raw.decode("utf-8"), Loader=SafeLoader)
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        raise RuleProblem(f"not readable YAML: {str(error).splitlines()[0]}") from error


def _status(data: Any) -> str:
    core = data.get("Core") if isinstance(data, dict) else None
    return str(core.get("Status") or "") if isinstance(core, dict) else ""


def _first_of_each_id(rules: list[OpenRule], unloaded: list[Unloaded]) -> list[OpenRule]:
    seen: dict[str, OpenRule] = {}
    for rule in rules:
        if rule.id in seen:
            reason = f"{rule.id} is also {seen[rule.id].path}; the first is run"
            unloaded.append(Unloaded(rule.path, rule.id, reason))
            continue
        seen[rule.id] = rule
    return list(seen.values())


def git_commit(folder: Path) -> str | None:
    """The commit a git checkout around `folder` is at, read from .git (no git needed)."""
    for candidate in (folder, *folder.resolve().parents):
        git = candidate / ".git"
        if git.is_dir():
            return _head(git)
    return None


def _head(git: Path) -> str | None:
    try:
        head = (git / "HEAD").read_text().strip()
    except OSError:
        return None
    if not head.startswith("ref: "):
        return head or None
    ref = head[5:]
    if (git / ref).is_file():
        return (git / ref).read_text().strip()
    packed = git / "packed-refs"
    if packed.is_file():
        for line in packed.read_text().splitlines():
            if line.endswith(" " + ref):
                return line.split(" ", 1)[0]
    return None
