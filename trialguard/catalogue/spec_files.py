"""The specs a catalogue lists, each loaded once by its file: as it runs (`load_spec`, its
rules merged along `extends`) and as its file reads (the rules it defines or overrides)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from trialguard.spec.loader import Spec, load_spec
from trialguard.spec.models import SpecFile
from trialguard.spec.paths import resolve_spec_path
from trialguard.yamlfile import read_yaml

Runners = dict[tuple[Path, str], tuple[str, ...]]  # (spec file, rule id) -> ids of specs


class SpecFiles:
    def __init__(self) -> None:
        self._specs: dict[Path, Spec] = {}
        self._files: dict[Path, SpecFile] = {}
        self._rule_ids: dict[Path, frozenset[str]] = {}
        self._chains: dict[Path, list[Path]] = {}

    def spec(self, path: Path) -> Spec:
        """The spec of this file as it runs, with the rules of every spec it extends."""
        if path not in self._specs:
            self._specs[path] = load_spec(str(path))
        return self._specs[path]

    def file(self, path: Path) -> SpecFile:
        """The spec file as written: its own header and rules (valid: `spec` loaded it)."""
        if path not in self._files:
            self.spec(path)
            data, _ = read_yaml(path, "spec")
            self._files[path] = SpecFile.model_validate(data)
        return self._files[path]

    def chain(self, path: Path) -> list[Path]:
        """The files of the spec at `path` and of every spec it extends, bases first."""
        if path not in self._chains:
            self._chains[path] = [Path(file).resolve() for file, _ in self.spec(path).files]
        return self._chains[path]

    def chains(self, names: Iterable[str]) -> list[Path]:
        """The files of the named specs (names or YAML paths) and of their bases, bases first,
        each once."""
        paths: dict[Path, None] = {}
        for name in names:
            paths.update(dict.fromkeys(self.chain(resolve_spec_path(name).resolve())))
        return list(paths)

    def defines(self, path: Path, rule_id: str) -> bool:
        """Whether the spec file itself defines or overrides the rule."""
        if path not in self._rule_ids:
            self._rule_ids[path] = frozenset(rule.id for rule in self.file(path).rules)
        return rule_id in self._rule_ids[path]

    def definer(self, path: Path, rule_id: str) -> Path:
        """The file among the spec's and its bases' that last defines or overrides the rule."""
        return next(p for p in reversed(self.chain(path)) if self.defines(p, rule_id))

    def base_of(self, path: Path, rule_id: str) -> Path:
        """The base spec file whose rule the spec at `path` overrides."""
        chain = self.chain(path)
        earlier = chain[: chain.index(path)]
        return next(p for p in reversed(earlier) if self.defines(p, rule_id))

    def runners(self, paths: Iterable[Path]) -> Runners:
        """For each rule as a spec file defines it, the ids of the specs (among `paths`) that
        run that definition: those that take it through `extends` without overriding it."""
        found: dict[tuple[Path, str], set[str]] = {}
        for path in dict.fromkeys(paths):
            spec_id = self.file(path).id
            for loaded in self.spec(path).rules:
                key = (self.definer(path, loaded.rule.id), loaded.rule.id)
                found.setdefault(key, set()).add(spec_id)
        return {key: tuple(sorted(ids)) for key, ids in found.items()}
