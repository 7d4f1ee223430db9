"""Checking rules against the rule format's JSON Schema (CORE-base.json and the files it
refers to), when the rules folder carries it.

jsonschema takes about 10 ms a rule (CDISC's Authorities alone are a deep `oneOf`), so each
answer is kept on disk, by the SHA-256 of the schema files and of the rule's bytes, in the
user's cache folder (`$XDG_CACHE_HOME/trialguard` or `~/.cache/trialguard`; set
`TRIALGUARD_NO_CACHE` to keep nothing): a folder checked once is checked again in
milliseconds.  A cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from trialguard.openrules.model import RuleProblem

SCHEMA_FILE = "CORE-base.json"


def schema_path(root: Path) -> Path | None:
    """The rule format's schema, when the folder (or the checkout around it) has one."""
    for folder in (root / "schema", root.parent / "schema", root.parent.parent / "schema"):
        if (folder / SCHEMA_FILE).is_file():
            return folder / SCHEMA_FILE
    return None


class SchemaCheck:
    """The schema's verdict on rules: '' when a rule follows it, else where it does not."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.schemas = {
            p.name: p.read_bytes() for p in sorted(path.parent.glob("*.json"))
        }  # fmt: skip
        digest = hashlib.sha256(b"".join(n.encode() + raw for n, raw in self.schemas.items()))
        self.cache_file = _cache_folder() / f"open-rules-schema-{digest.hexdigest()[:32]}.json"
        self.known: dict[str, str] = _read_cache(self.cache_file)
        self.added = False
        self._validator: Any = None

    def check(self, raw: bytes, data: Any) -> None:
        """RuleProblem when the rule (its bytes, and as parsed) does not follow the schema."""
        key = hashlib.sha256(raw).hexdigest()
        if key not in self.known:
            self.known[key] = self._problem(data)
            self.added = True
        if self.known[key]:
            raise RuleProblem(self.known[key])

    def save(self) -> None:
        if self.added and not os.environ.get("TRIALGUARD_NO_CACHE"):
            _write_cache(self.cache_file, self.known)

    def _problem(self, data: Any) -> str:
        if self._validator is None:
            self._validator = _validator(self.schemas)
        errors = sorted(self._validator.iter_errors(data), key=lambda e: list(e.absolute_path))
        if not errors:
            return ""
        where = "/".join(str(p) for p in errors[0].absolute_path) or "the rule"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return f"does not follow {SCHEMA_FILE} at {where}{more}"


def _validator(schemas: dict[str, bytes]) -> Any:
    import jsonschema
    from referencing import Registry, Resource

    loaded = {name: json.loads(raw) for name, raw in schemas.items()}
    base = loaded[SCHEMA_FILE]
    home = str(base.get("$id", "")).rsplit("/", 1)[0]  # relative $refs resolve against it
    resources = [(name, Resource.from_contents(schema)) for name, schema in loaded.items()]
    resources += [(f"{home}/{name}", resource) for name, resource in resources if home]
    registry: Registry = Registry().with_resources(resources)
    return jsonschema.Draft202012Validator(base, registry=registry)


def _cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "trialguard"


def _read_cache(path: Path) -> dict[str, str]:
    if os.environ.get("TRIALGUARD_NO_CACHE"):
        return {}
    try:
        known = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in known.items()} if isinstance(known, dict) else {}


def _write_cache(path: Path, known: dict[str, str]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(known, sort_keys=True), encoding="utf-8")
        temporary.replace(path)
    except OSError:
        return
