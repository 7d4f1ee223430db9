"""A team's GX suite file, read and checked before anything runs: a malformed suite, or one
naming an expectation GX does not know (GX drops those silently), stops the run (exit 2)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trialguard.errors import InputError, UsageError
from trialguard.findings import Severity
from trialguard.readers.dataset import sha256_of
from trialguard.spec.models import READABLE_DATASETS, RULE_ID
from trialguard.validators.gx.frames import PARAMETERS

MAX_SUITE_BYTES = 20 * 2**20
MAX_EXPECTATIONS = 1_000


@dataclass(frozen=True)
class GxSuite:
    """One suite file to run on one dataset: its expectations as the file holds them."""

    dataset: str
    path: Path
    sha256: str
    name: str
    expectations: tuple[dict[str, Any], ...]

    def trialguard_meta(self, position: int) -> dict[str, Any]:
        meta = self.expectations[position].get("meta") or {}
        return meta.get("trialguard") or {}


def parse_suite_option(text: str) -> tuple[str, Path]:
    """`DATASET=FILE` (as `--gx-suite` takes it): the dataset name checked, the path."""
    dataset, separator, file = str(text).partition("=")
    if not separator or not file:
        raise UsageError(f"--gx-suite {text}: give DATASET=FILE, e.g. --gx-suite DM=dm.json")
    return dataset_name(dataset, f"--gx-suite {text}"), Path(file)


def dataset_name(text: str, where: str) -> str:
    name = str(text).strip().upper()
    name = "DL" if name == "DLT" else name
    if name not in READABLE_DATASETS:
        raise UsageError(f"{where}: the dataset must be one of {', '.join(READABLE_DATASETS)}")
    return name


def load_suite(dataset: str, path: Path) -> GxSuite:
    """Read and check a GX (1.x) suite file; every problem names the file and the expectation."""
    data = _read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("expectations"), list):
        raise InputError(path, "not a GX expectation suite (a JSON object with 'expectations')")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InputError(path, "the suite has no name (GX suites carry one)")
    _check_dataset(path, dataset, data.get("meta"))
    expectations = data["expectations"]
    if not expectations:
        raise InputError(path, "the suite has no expectations: it would check nothing")
    if len(expectations) > MAX_EXPECTATIONS:
        raise InputError(
            path, f"{len(expectations):,} expectations; the limit is {MAX_EXPECTATIONS:,}"
        )
    for number, expectation in enumerate(expectations, start=1):
        _check_expectation(path, number, expectation)
    _check_with_gx(path, expectations)
    return GxSuite(dataset, path, sha256_of(path), name, tuple(expectations))


def _check_dataset(path: Path, dataset: str, meta: Any) -> None:
    """A suite trialguard exported names its dataset: running it on another is a mistake."""
    if meta is not None and not isinstance(meta, dict):
        raise InputError(path, "the suite's meta is not an object")
    ours = (meta or {}).get("trialguard")
    if ours is not None and not isinstance(ours, dict):
        raise InputError(path, "the suite's meta.trialguard is not an object")
    made_for = (ours or {}).get("dataset")
    if made_for is not None and made_for != dataset:
        raise InputError(path, f"the suite was exported for {made_for}, not {dataset}")


def _read_json(path: Path) -> Any:
    try:
        if path.is_dir():
            raise InputError(path, "is a folder, not a GX suite file")
        if not path.is_file():
            raise InputError(path, "no such GX suite file")
        if path.stat().st_size > MAX_SUITE_BYTES:
            raise InputError(path, f"larger than {MAX_SUITE_BYTES // 2**20} MB: not a GX suite")
        return json.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as error:
        raise InputError(path, f"cannot read the GX suite ({error.strerror or error})") from error
    except UnicodeDecodeError as error:
        raise InputError(path, f"not UTF-8 text (byte offset {error.start:,})") from error
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise InputError(path, f"not JSON: {error.msg} ({where})") from error
    except ValueError as error:  # e.g. an integer of more digits than Python converts
        raise InputError(path, f"not a usable JSON value: {error}") from error
    except RecursionError:
        raise InputError(path, "nests too deeply to be a GX suite") from None


def _check_expectation(path: Path, number: int, expectation: Any) -> None:
    where = f"expectation {number}"
    if not isinstance(expectation, dict):
        raise InputError(path, f"{where} is not a JSON object")
    if "expectation_type" in expectation and "type" not in expectation:
        raise InputError(
            path, f"{where} is in the GX 0.x form ('expectation_type'); GX 1.x names it 'type'"
        )
    if not isinstance(expectation.get("type"), str):
        raise InputError(path, f"{where} has no 'type' (the expectation's name)")
    if not isinstance(expectation.get("kwargs", {}), dict):
        raise InputError(path, f"{where} ({expectation['type']}): 'kwargs' is not an object")
    if not isinstance(expectation.get("meta") or {}, dict):
        raise InputError(path, f"{where} ({expectation['type']}): 'meta' is not an object")
    _check_trialguard_meta(path, f"{where} ({expectation['type']})", expectation)
    for name in parameter_names(expectation.get("kwargs", {})):
        if name not in PARAMETERS:
            known = ", ".join(PARAMETERS)
            raise InputError(
                path,
                f"{where} ({expectation['type']}) uses the parameter {name!r}; "
                f"trialguard supplies {known}",
            )


def _check_trialguard_meta(path: Path, where: str, expectation: dict[str, Any]) -> None:
    meta = (expectation.get("meta") or {}).get("trialguard")
    if meta is None:
        return
    if not isinstance(meta, dict):
        raise InputError(path, f"{where}: meta.trialguard is not an object")
    rule = meta.get("rule")
    if rule is not None and not (isinstance(rule, str) and re.match(RULE_ID, rule)):
        raise InputError(path, f"{where}: meta.trialguard.rule {rule!r} is not a rule id (SD-KEY)")
    severity = meta.get("severity")
    if severity is not None and severity not in [s.value for s in Severity]:
        raise InputError(
            path, f"{where}: meta.trialguard.severity must be error, warning or notice"
        )
    variables = meta.get("variables", [])
    if not (isinstance(variables, list) and all(isinstance(v, str) for v in variables)):
        raise InputError(path, f"{where}: meta.trialguard.variables is not a list of names")
    for name, kind in (("description", str), ("if_column_present", bool)):
        if meta.get(name) is not None and not isinstance(meta[name], kind):
            wanted = "text" if kind is str else "true or false"
            raise InputError(path, f"{where}: meta.trialguard.{name} must be {wanted}")


def parameter_names(value: Any) -> list[str]:
    """The names of the `{"$PARAMETER": name}` values anywhere in an expectation's kwargs."""
    if isinstance(value, dict):
        if set(value) == {"$PARAMETER"}:
            return [str(value["$PARAMETER"])]
        return [name for item in value.values() for name in parameter_names(item)]
    if isinstance(value, list):
        return [name for item in value for name in parameter_names(item)]
    return []


def _check_with_gx(path: Path, expectations: list[dict[str, Any]]) -> None:
    """Each expectation built by GX itself: an unknown type or bad kwargs is an error here."""
    from trialguard.validators.gx.engine import gx_module

    gx = gx_module()
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    for number, expectation in enumerate(expectations, start=1):
        where = f"expectation {number} ({expectation['type']})"
        try:
            ExpectationConfiguration(**expectation).to_domain_obj()
            kept = gx.ExpectationSuite(name="check", expectations=[expectation]).expectations
        except Exception as error:  # GX raises its own, pydantic's and Python's errors
            raise InputError(path, f"{where}: {_gx_problem(error)}") from None
        if len(kept) != 1:
            raise InputError(path, f"{where}: GX drops it when loading the suite")


def _gx_problem(error: Exception) -> str:
    text = " ".join(str(error).split())
    if "not found" in text and "Expectation" in type(error).__name__:
        return "GX has no expectation of that type (GX would drop it silently)"
    return f"GX refuses it: {text[:300]}"
