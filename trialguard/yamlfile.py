"""YAML files (specs, waivers, manifests) read safely and within bounds.

`yaml.safe_load` builds no objects but plain ones, yet a small file can still
be costly: aliases (`&a` / `*a`) let a few lines stand for billions of values
that validation would then walk, and deep nesting exhausts the parser's
recursion.  Every YAML file is therefore limited in bytes, nesting and the
number of values it stands for once aliases are expanded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from trialguard.bounded import read_bounded
from trialguard.errors import InputError, SpecError

MAX_BYTES = 2_000_000
MAX_VALUES = 100_000  # the bundled specs hold about 1,500; a spec is written by hand
# libyaml parses about 20 times faster where PyYAML was built with it; same constructor,
# resolver and node graph (with line marks), and it refuses nesting deeper than 1,000 levels
FAST_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path, what: str) -> tuple[Any, yaml.Node | None]:
    """(data, node graph) of a YAML file, or a SpecError naming the file and the problem."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SpecError(path, f"the {what} is {size:,} bytes; the limit is {MAX_BYTES:,}")
        text = _bounded(path, what).decode("utf-8-sig")
        try:
            return _load(path, text, what, FAST_LOADER)
        except (yaml.YAMLError, UnicodeEncodeError):
            # the pure-Python parser names the problem better (the character, the alias)
            return _load(path, text, what, yaml.SafeLoader)
    except OSError as exc:
        raise SpecError(path, f"cannot read the {what} ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise SpecError(path, f"the {what} is not UTF-8 text (byte offset {exc.start:,})") from exc
    except yaml.YAMLError as exc:
        raise SpecError(path, f"the {what} is not valid YAML: {_problem(exc)}") from exc
    except RecursionError:
        raise SpecError(path, f"the {what} nests too deeply to be a {what}") from None


def _load(path: Path, text: str, what: str, loader_class: type) -> tuple[Any, yaml.Node | None]:
    """Compose the node graph, bound it, then build the data from that same graph."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _check_values(path, node, what)
        return loader.construct_document(node), node
    finally:
        loader.dispose()


def _bounded(path: Path, what: str) -> bytes:
    try:
        return read_bounded(path, what, MAX_BYTES)
    except InputError as error:
        raise SpecError(path, error.reason) from None


def _check_values(path: Path, root: yaml.Node, what: str) -> None:
    """Counts values with aliases expanded, each shared node once per use, memoised."""
    sizes: dict[int, int] = {}
    pending: list[tuple[yaml.Node, bool]] = [(root, False)]
    while pending:
        node, children_done = pending.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if not children_done and children:
            pending.append((node, True))
            pending += [(child, False) for child in children if id(child) not in sizes]
            continue
        sizes[id(node)] = 1 + sum(sizes.get(id(child), 0) for child in children)
        if sizes[id(node)] > MAX_VALUES:
            raise SpecError(
                path,
                f"the {what} stands for more than {MAX_VALUES:,} values once its YAML aliases "
                f"are expanded (near line {node.start_mark.line + 1}); refusing to process it",
            )


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    return f"line {mark.line + 1}, column {mark.column + 1}: {problem}" if mark else problem
