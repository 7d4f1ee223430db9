"""Where in a YAML file a problem lies: the line of a key path, and validation errors as
"line N, key.path: problem", for specs and waivers files alike."""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

MAX_SHOWN = 5  # problems listed from one validation error; the rest are counted


def line_of(node: yaml.Node | None, loc: tuple) -> int | None:
    """1-based line of the deepest YAML node reachable along `loc`."""
    line = None
    for part in loc:
        if node is None:
            break
        line = node.start_mark.line + 1
        node = _child(node, part)
    if node is not None:
        line = node.start_mark.line + 1
    return line


def located(node: yaml.Node | None, loc: tuple, problem: str) -> str:
    """'line 7, waivers.1.rule: problem' (without the line when the node graph has none)."""
    where = [f"line {line}"] if (line := line_of(node, loc)) else []
    where += [".".join(str(part) for part in loc)] if loc else []
    return f"{', '.join(where) or 'the file'}: {problem}"


def validation_problems(
    exc: ValidationError, node: yaml.Node | None, prefix: tuple = (), limit: int | None = MAX_SHOWN
) -> list[str]:
    """Each error of `exc` located in the file (its key path under `prefix`), in order."""
    errors = exc.errors()
    shown = errors if limit is None else errors[:limit]
    problems = [located(node, prefix + tuple(e["loc"]), plain(e)) for e in shown]
    if len(errors) > len(shown):
        problems.append(f"and {len(errors) - len(shown)} more")
    return problems


def plain(error: ErrorDetails) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown key"
    if error["type"] == "missing":
        return "missing"
    return error["msg"]


def _child(node: yaml.Node, part: Any) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == str(part):
                return value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]
    return None
