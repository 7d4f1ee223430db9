"""Runs a GX suite on one dataset and says, per expectation, what GX answered.

great_expectations is imported here, on first use only (it costs seconds and hundreds of MB).
GX's own quirks are handled here: an expectation that errors comes back "failed" with its
exception in `exception_info` (two shapes), failing rows are named by the `_record` column, and
results come back in another order than the suite's (each carries its position in `meta`).
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import Any

import pandas as pd

from trialguard.errors import UsageError
from trialguard.validators.gx.frames import RECORD

POSITION = "trialguard_position"  # meta key: the expectation's place in the suite, for results
# GX resolves a suite's metrics as one graph whose cost grows faster than the suite: suites run
# in parts of this many expectations take about half the time of one validation (measured on the
# exported AE suite: 62 expectations, 1.5 s whole, 0.8 s in parts of 10).
PART = 10


@dataclass(frozen=True)
class Answer:
    """What GX answered for one expectation: passed or not, the failing records, or its error."""

    position: int
    success: bool
    records: tuple[int, ...] = ()
    observed: Any = None
    error: str | None = None
    not_run: str | None = None  # why trialguard did not give it to GX


def gx_module() -> Any:
    """great_expectations, imported quietly (its loggers write tracebacks for dropped input)."""
    try:
        import great_expectations
    except ImportError as error:
        raise UsageError(
            "GX suites need great-expectations, which is not installed: "
            "pip install 'trialguard[gx]'"
        ) from error
    logging.getLogger("great_expectations").setLevel(logging.CRITICAL)
    return great_expectations


@functools.cache
def _context() -> Any:
    gx = gx_module()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


@functools.cache
def _batch_definition(dataset: str) -> Any:
    """One in-memory pandas data source per dataset name, made once per process."""
    source = _context().data_sources.add_pandas(f"trialguard-{dataset}")
    asset = source.add_dataframe_asset(dataset)
    return asset.add_batch_definition_whole_dataframe("whole dataset")


def run_expectations(
    dataset: str, expectations: list[dict[str, Any]], frame: pd.DataFrame, parameters: dict
) -> list[Answer]:
    """GX's answer for each expectation (dicts of type, kwargs, meta) on `frame`, in order."""
    gx = gx_module()
    configs = []
    for position, expectation in enumerate(expectations):
        meta = dict(expectation.get("meta") or {}) | {POSITION: position}
        configs.append({**expectation, "meta": meta})
    batch = _batch_definition(dataset).get_batch(batch_parameters={"dataframe": frame})
    result_format = {"result_format": "COMPLETE", "unexpected_index_column_names": [RECORD]}
    answers = []
    for start in range(0, len(configs), PART):
        part = configs[start : start + PART]
        suite = gx.ExpectationSuite(name=f"trialguard-run-{dataset}", expectations=part)
        if len(suite.expectations) != len(part):
            raise RuntimeError(f"GX dropped {len(part) - len(suite.expectations)} expectation(s)")
        results = batch.validate(
            suite, result_format=result_format, expectation_parameters=parameters
        )
        answers += [_answer(result) for result in results.results]
    return sorted(answers, key=lambda a: a.position)


def _answer(result: Any) -> Answer:
    position = int(result.expectation_config.meta[POSITION])
    error = _error(result.exception_info)
    details = result.result or {}
    rows = details.get("unexpected_index_list") or []
    records = tuple(int(row[RECORD]) for row in rows if isinstance(row, dict) and RECORD in row)
    return Answer(
        position,
        bool(result.success) and error is None,
        records,
        details.get("observed_value"),
        error,
    )


def _error(info: Any) -> str | None:
    """The exception message of a failed computation, in either shape GX reports it."""
    if not info:
        return None
    shapes = [info] if "raised_exception" in info else list(info.values())
    for shape in shapes:
        if isinstance(shape, dict) and shape.get("raised_exception"):
            return str(shape.get("exception_message") or "GX raised an exception")
    return None
