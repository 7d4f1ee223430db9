"""Operations: values a rule computes from the data before its Check ($ids)."""

from __future__ import annotations

from typing import Any

from trialguard.openrules.frame import RuleFrame
from trialguard.openrules.model import OpenRule
from trialguard.validators.context import StudyContext


def computed(rule: OpenRule, context: StudyContext, frame: RuleFrame) -> dict[str, Any]:
    return {}
