"""Subjects' arms as the project's ARMCD scheme names them: DL<n>-<LD> (e.g. DL2-FC)."""

from __future__ import annotations

import pandas as pd
from pydantic import Field

from trialguard.validators.context import StudyContext
from trialguard.validators.registry import NoParams

ARM_PATTERN = r"^(?P<level>DL\d+)-(?P<ld>[A-Z]+)$"


class ArmParams(NoParams):
    arm_variable: str = Field(default="ACTARMCD", pattern=r"^(ARMCD|ACTARMCD)$")
    arm_pattern: str = ARM_PATTERN


def subject_arms(context: StudyContext, params: ArmParams) -> pd.DataFrame:
    """Per USUBJID: the DM record, the arm code, its dose level and lymphodepletion code."""
    context.require_columns("DM", "USUBJID", params.arm_variable)
    subjects = context.subjects
    arm = subjects[params.arm_variable].astype("string")
    parts = arm.str.extract(params.arm_pattern)
    return pd.DataFrame(
        {
            "record": subjects["record"],
            "arm": arm,
            "level": parts.get("level"),
            "ld": parts.get("ld"),
        },
        index=subjects.index,
    )


def treated_subjects(context: StudyContext) -> pd.Index:
    """Subjects with at least one cell-product exposure record."""
    return pd.Index(context.product_records()["USUBJID"].dropna().unique())
