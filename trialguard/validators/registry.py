"""The plain registry of check kinds: one `register` line per check.

It imports no check: `catalogue` imports them all and looks kinds up (`check_kind`,
`all_kinds`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict


class NoParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class CheckKind:
    kind: str
    function: Callable
    params: type[BaseModel]
    message: str
    summary: str
    category: str  # conformance, crossdomain, protocol, transfer, waivers: who acts on it
    stage: str = "study"  # "study": on the datasets; "transfer": on the transfer around them


REGISTRY: dict[str, CheckKind] = {}


def register(
    kind: str, *, message: str, params: type[BaseModel] = NoParams, stage: str = "study"
) -> Callable:
    """Put `check_<kind>` in the registry with its parameter model, default message and stage."""

    def decorate(function: Callable) -> Callable:
        if kind in REGISTRY:
            raise RuntimeError(f"check kind {kind} registered twice")
        summary = next(iter((function.__doc__ or "").strip().splitlines()), kind)
        category = function.__module__.split(".")[-2]
        REGISTRY[kind] = CheckKind(kind, function, params, message, summary, category, stage)
        return function

    return decorate
