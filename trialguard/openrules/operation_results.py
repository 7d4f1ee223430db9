"""The results of a rule's Operations, each under its `$id`, computed before its Check.

Every supported operation is one of `library` (what the CDISC Library would say of the
standard) or `measures` (what the study's datasets hold).  Each result is computed once per
run and shared by the rules asking for it (`context.cache`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trialguard.openrules import library, measures  # noqa: F401  (they fill OPERATIONS)
from trialguard.openrules.frame import RuleFrame
from trialguard.openrules.model import OpenRule
from trialguard.openrules.operations import OPERATIONS, Call, NotExecutable
from trialguard.openrules.scope import DatasetInfo
from trialguard.validators.context import StudyContext


def computed(
    rule: OpenRule,
    context: StudyContext,
    frame: RuleFrame,
    info: DatasetInfo,
    infos: Sequence[DatasetInfo],
) -> dict[str, Any]:
    """Every operation's result by `$id`, in order (each sees the ones before it)."""
    for entry in rule.operations:
        function = OPERATIONS.get(entry.operator)
        if function is None:
            raise NotExecutable(f"operation {entry.operator} is not supported")
        call = Call(rule, context, frame, info, infos, entry)
        key = call.cache_key()
        if key not in context.cache:
            context.cache[key] = function(call)
        frame.operations[entry.id] = context.cache[key]
    return dict(frame.operations)
