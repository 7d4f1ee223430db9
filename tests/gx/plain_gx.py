"""Exported suites run in plain GX, the way a data team would run them in its own pipeline:
`ExpectationSuite(**json)` on each dataset's frame, failing rows named by the `_record` column,
the suite parameters given at validation.  No trialguard code decides what GX found."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import great_expectations as gx
from great_expectations.data_context.types.base import ProgressBarsConfig

from trialguard.readers.study import Study
from trialguard.validators.gx.frames import RECORD, gx_frame, suite_parameters

# (rule id, dataset, record or None for the dataset, variables)
Found = tuple[str, str, int | None, tuple[str, ...]]


@dataclass
class GxRun:
    found: set[Found]
    errors: list[tuple[str, str, str]]  # (rule, dataset, GX's exception message)
    skipped: int  # errors on an absent column of an expectation marked if_column_present


@cache
def batch_definition(dataset: str):
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    asset = context.data_sources.add_pandas(f"plain-{dataset}").add_dataframe_asset(dataset)
    return asset.add_batch_definition_whole_dataframe("all")


def run_exported(
    study: Study, suites: dict[str, Path], model: str = "3.4", rules: set[str] | None = None
) -> GxRun:
    """Every exported suite (or only the expectations of `rules`) on its dataset."""
    run = GxRun(set(), [], 0)
    parameters = suite_parameters(study)
    for name, path in suites.items():
        if name not in study.datasets:
            continue
        frame = gx_frame(study.datasets[name].frame, name, model)
        data = json.loads(path.read_text(encoding="utf-8"))
        if rules is not None:
            data["expectations"] = [
                e for e in data["expectations"] if e["meta"]["trialguard"]["rule"] in rules
            ]
        suite = gx.ExpectationSuite(**data)
        batch = batch_definition(name).get_batch(batch_parameters={"dataframe": frame})
        for part in _parts(suite):
            result = batch.validate(
                part,
                result_format={
                    "result_format": "COMPLETE",
                    "unexpected_index_column_names": [RECORD],
                },
                expectation_parameters=parameters,
            )
            for outcome in result.results:
                _collect(run, name, frame.columns, outcome)
    return run


def _parts(suite, size: int = 10):
    """The suite in parts: GX's answers do not depend on it, and parts validate twice as fast."""
    expectations = suite.expectations
    for start in range(0, len(expectations), size):
        yield gx.ExpectationSuite(name=suite.name, expectations=expectations[start : start + size])


def _collect(run: GxRun, name: str, columns, outcome) -> None:
    config = outcome.expectation_config
    meta = config.meta["trialguard"]
    error = _error(outcome.exception_info)
    if error:
        named = [config.kwargs.get("column"), *config.kwargs.get("column_list", [])]
        if meta["if_column_present"] and any(c and c not in columns for c in named):
            run.skipped += 1
        else:
            run.errors.append((meta["rule"], name, error))
        return
    if outcome.success:
        return
    variables = tuple(v for v in meta["variables"] if v in columns) or tuple(meta["variables"])
    rows = outcome.result.get("unexpected_index_list") or []
    if not rows:
        run.found.add((meta["rule"], name, None, variables))
    run.found.update((meta["rule"], name, int(row[RECORD]), variables) for row in rows)


def _error(info) -> str | None:
    if not info:
        return None
    shapes = [info] if "raised_exception" in info else list(info.values())
    messages = [s.get("exception_message") for s in shapes if s.get("raised_exception")]
    return str(messages[0]) if messages else None
