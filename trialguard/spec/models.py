"""Typed models of a protocol spec; unknown keys are errors."""

from __future__ import annotations

import string
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from trialguard.findings import Severity

READABLE_DATASETS = ("DM", "EX", "AE", "DL")
IG_MODELS = ("3.2", "3.3", "3.4")  # 3.2 stands for SDTMIG 3.1.2 to 3.2
RULE_ID = r"^[A-Z][A-Z0-9]*(?:[-_.][A-Z0-9]+)*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Day0(Strict):
    """Day 0 is the start date of the EX record of this treatment (the cell product)."""

    extrt: str = Field(min_length=1)
    source: str = Field(min_length=1)
    assumed: bool = False


class Window(Strict):
    """Inclusive protocol-day bounds, e.g. the DLT window Day 0 to Day 28."""

    first_day: int
    last_day: int
    source: str = Field(min_length=1)
    assumed: bool = False


class DiseaseSource(Strict):
    """Where a subject's disease is recorded: MH records of this MHCAT, the disease named by
    MHDECOD (MHTERM where MHDECOD is empty)."""

    category: str = Field(min_length=1)
    source: str = Field(min_length=1)
    assumed: bool = False


class Visit(Strict):
    """An assessment visit as protocol days: `day` with `before` and `after` days allowed."""

    name: str = Field(min_length=1)  # the VISIT label the data should carry, e.g. WEEK 52
    day: int
    before: int = Field(ge=0)
    after: int = Field(ge=0)
    source: str = Field(min_length=1)
    assumed: bool = False

    @property
    def first_day(self) -> int:
        return self.day - self.before

    @property
    def last_day(self) -> int:
        return self.day + self.after


class Responder(Strict):
    """The responder result an instrument's score gives: `measure` compared with `threshold`.
    measure `value`: the score at the visit; `improvement`: baseline minus that score."""

    testcd: str = Field(min_length=1)  # the test code of the recorded result (Y or N)
    measure: Literal["value", "improvement"] = "value"
    operator: Literal[">=", ">", "<=", "<"]
    threshold: float


class Instrument(Strict):
    """One disease's efficacy instrument, as records of one --CAT of RS or QS."""

    name: str = Field(min_length=1)  # e.g. DAS28-ESR
    disease: str = Field(min_length=1)  # short name shown in findings, e.g. RA
    terms: list[str] = Field(min_length=1)  # diagnosis terms meaning the disease
    dataset: Literal["RS", "QS"] = "RS"
    category: str = Field(min_length=1)  # the --CAT of its records
    score: str = Field(min_length=1)  # the --TESTCD of the score the endpoint reads
    ranges: dict[str, tuple[float, float]] = Field(default_factory=dict)  # --TESTCD: min, max
    responder: Responder
    source: str = Field(min_length=1)
    assumed: bool = False


class Endpoints(Strict):
    """The efficacy endpoint: each subject's disease, its instrument, the visit it is judged
    at, and the baseline (the latest assessment on or before protocol day baseline_last_day)."""

    disease: DiseaseSource
    visit: Visit
    baseline_last_day: int = 0
    instruments: list[Instrument] = Field(min_length=1)

    @field_validator("instruments")
    @classmethod
    def _one_instrument_per_disease(cls, instruments: list[Instrument]) -> list[Instrument]:
        diseases = [i.disease for i in instruments]
        if len(set(diseases)) < len(diseases):
            raise ValueError("each disease has one instrument: a disease is named twice")
        terms = [t.strip().upper() for i in instruments for t in i.terms]
        repeated = sorted({t for t in terms if terms.count(t) > 1})
        if repeated:
            raise ValueError(f"{', '.join(repeated)}: a diagnosis term names one disease only")
        return instruments


class Protocol(Strict):
    day0: Day0 | None = None
    dlt_window: Window | None = None
    endpoints: Endpoints | None = None


class Terminology(Strict):
    """Sponsor terms accepted in extensible codelists, by codelist name (e.g. UNIT), and the
    CDISC CT release the study must be checked against (a run with another one stops)."""

    sponsor_terms: dict[str, list[str]] = Field(default_factory=dict)
    ct_release: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")


class OpenRules(Strict):
    """The CDISC Open Rules a study is checked with: a folder (relative to the spec file) the
    run uses unless --open-rules names another, and severities per CORE id (CDISC gives
    none; the default is error, warning for a rule CDISC marks partially executable)."""

    folder: str | None = None
    severity: dict[str, Severity] = Field(default_factory=dict)


class Rule(Strict):
    id: str = Field(pattern=RULE_ID)
    kind: str
    severity: Severity
    description: str = Field(min_length=1)
    source: str = Field(min_length=1)
    message: str | None = None
    assumed: bool = False
    assumption: str | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    override: bool = False
    optional: bool = False  # when it cannot run, the transfer may still be accepted
    enabled: bool = True  # false: listed as not run ("disabled in the spec"), never run
    ig: list[str] = Field(default_factory=list)  # the SDTMIG models it applies to (all if empty)

    @field_validator("ig", mode="before")
    @classmethod
    def _ig_models(cls, models: Any) -> Any:
        named = [str(m) for m in models] if isinstance(models, list) else models
        if isinstance(named, list) and (unknown := [m for m in named if m not in IG_MODELS]):
            raise ValueError(f"{', '.join(unknown)}: SDTMIG models are {', '.join(IG_MODELS)}")
        return named

    @field_validator("message")
    @classmethod
    def _simple_placeholders(cls, template: str | None) -> str | None:
        if template is None:
            return None
        for _, field_name, _, _ in string.Formatter().parse(template):
            if field_name is not None and not field_name.isidentifier():
                raise ValueError(
                    f"placeholder {{{field_name}}} must be a plain name such as {{AGE}}"
                )
        return template


class SpecFile(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    version: str
    title: str
    extends: list[str] = Field(default_factory=list)
    requires: list[str] = Field(default_factory=list)  # datasets a transfer must hold
    protocol: Protocol = Field(default_factory=Protocol)
    terminology: Terminology = Field(default_factory=Terminology)
    open_rules: OpenRules = Field(default_factory=OpenRules)
    rules: list[Rule] = Field(default_factory=list)

    @field_validator("requires")
    @classmethod
    def _dataset_names(cls, names: list[str]) -> list[str]:
        """Datasets the readers can supply; DLT is the file name of DL."""
        named = [("DL" if str(n).upper() == "DLT" else str(n).upper()) for n in names]
        unknown = [n for n in named if n not in READABLE_DATASETS]
        if unknown:
            raise ValueError(
                f"{', '.join(unknown)}: a transfer can only supply "
                f"{', '.join(READABLE_DATASETS)} (the datasets trialguard reads)"
            )
        return named

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) else value
