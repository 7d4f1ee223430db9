"""A run imports what it uses: `import trialguard` and `--version` load no pandas, and a run of
the bundled sample that writes JSON only loads no optional library (GX, jsonschema, lxml, the
report writers).  Each check is a fresh interpreter, so nothing a test imported counts."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT, SAMPLES

import trialguard
from trialguard import readers
from trialguard.errors import InputError

# libraries only some runs need: GX options, a Dataset-JSON file, a define.xml, --xlsx,
# --html, --pdf
OPTIONAL = ("great_expectations", "jsonschema", "lxml", "xlsxwriter", "jinja2", "reportlab")
HEAVY = ("pandas", "numpy", "pandera", "pydantic", "pyreadstat", *OPTIONAL)
LOADED = "import json, sys; print(json.dumps(sorted(m for m in {names} if m in sys.modules)))"


def loaded_after(statements: str) -> tuple[list[str], str]:
    """The top-level packages of HEAVY in sys.modules after `statements`, and the output."""
    code = statements + "\n" + LOADED.format(names=repr(HEAVY))
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    *printed, last = result.stdout.splitlines()
    return json.loads(last), "\n".join(printed)


def test_importing_the_package_and_its_command_line_loads_no_library():
    loaded, _ = loaded_after("import trialguard, trialguard.cli")
    assert loaded == []


def test_version_answers_without_pandas():
    loaded, printed = loaded_after(
        "from trialguard.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit as stop:\n    assert stop.code == 0"
    )
    assert printed == f"trialguard {trialguard.__version__}"
    assert "pandas" not in loaded and loaded == []


def test_help_of_validate_answers_without_pandas():
    loaded, printed = loaded_after(
        "from trialguard.cli import main\n"
        "try:\n    main(['validate', '--help'])\nexcept SystemExit as stop:\n"
        "    assert stop.code == 0"
    )
    assert "--fail-on {error,warning,notice,never}" in printed
    assert loaded == []


def test_a_json_run_of_the_sample_loads_no_optional_library(tmp_path):
    report = tmp_path / "r.json"
    loaded, _ = loaded_after(
        "from trialguard.cli import main\n"
        f"code = main(['validate', {str(SAMPLES / 'clean')!r}, '--spec', 'resolution', "
        f"'--json', {str(report)!r}, '--quiet'])\n"
        "assert code == 0, code"
    )
    assert json.loads(report.read_text())["verdict"] == "accept"
    assert "pandas" in loaded  # the run itself happened
    assert [name for name in OPTIONAL if name in loaded] == []


def test_the_package_names_its_api_when_first_used():
    assert trialguard.InputError is InputError
    assert trialguard.validate.__module__ == "trialguard.pipeline"
    assert trialguard.Report.__module__ == "trialguard.report"
    assert set(trialguard.__all__) <= set(dir(trialguard))
    with pytest.raises(AttributeError, match="no attribute 'validator'"):
        trialguard.validator  # noqa: B018


def test_the_readers_package_names_its_api_when_first_used():
    from trialguard.readers.study import read_study

    assert readers.read_study is read_study
    with pytest.raises(AttributeError, match="no attribute 'read_sas'"):
        readers.read_sas  # noqa: B018


def test_the_parser_choices_are_the_pipeline_levels():
    from trialguard.cli.ci import ANNOTATIONS_SHOWN
    from trialguard.options import FAIL_ON_LEVELS
    from trialguard.pipeline import FAIL_LEVELS
    from trialguard.reporting import github

    assert FAIL_ON_LEVELS == tuple(FAIL_LEVELS)
    assert ANNOTATIONS_SHOWN == github.ANNOTATIONS_SHOWN
