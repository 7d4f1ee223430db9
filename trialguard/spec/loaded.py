"""A spec as loaded: its header, protocol values, terminology and every rule resolved to its
check kind with validated parameters (`loader.load_spec` builds one from the YAML)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel

from trialguard.spec.models import OpenRules, Protocol, Rule, Terminology

if TYPE_CHECKING:  # spec imports nothing of validators at import time
    from trialguard.validators.registry import CheckKind


@dataclass(frozen=True)
class LoadedRule:
    rule: Rule
    params: BaseModel
    check: CheckKind
    origin: str  # where the rule was defined, and overridden
    param_origins: dict[str, str] = field(default_factory=dict)  # parameter -> spec id
    aliases: tuple[str, ...] = ()  # other ids --select/--ignore know it by (an open rule's CG ids)

    @property
    def message(self) -> str:
        return self.rule.message or self.check.message


@dataclass(frozen=True)
class Spec:
    id: str
    version: str
    title: str
    path: Path
    sha256: str
    files: tuple[tuple[str, str], ...]  # (path, sha256) of the spec and every spec it extends
    protocol: Protocol
    terminology: Terminology
    rules: tuple[LoadedRule, ...]
    requires: tuple[str, ...] = ()  # datasets without which a transfer is incomplete
    extends: tuple[str, ...] = ()
    open_rules: OpenRules = field(default_factory=OpenRules)  # folder resolved to a path
