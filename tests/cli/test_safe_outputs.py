"""Reports are written safely: never two outputs on one file, never over a file the run reads,
never half-written (a killed write leaves the previous report whole), no temporary file left."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from conftest import ROOT, SAMPLES

from trialguard.cli import main
from trialguard.report import write_report


def run(capsys, *args) -> tuple[int, str]:
    code = main([str(a) for a in args])
    return code, capsys.readouterr().err


@pytest.fixture
def transfer(tmp_path):
    folder = tmp_path / "transfer"
    shutil.copytree(SAMPLES / "clean", folder)
    return folder


def test_two_outputs_naming_one_file_are_refused(transfer, tmp_path, capsys):
    out = tmp_path / "r.json"
    options = ["--json", out, "--html", out]
    code, err = run(capsys, "validate", transfer, "--spec", "resolution", *options)
    assert code == 2 and "--json and --html both name" in err and not out.exists()


@pytest.mark.parametrize("target", ["ae.xpt", "define.xml", "spec"])
def test_an_output_naming_an_input_is_refused_and_kept(transfer, tmp_path, capsys, target):
    spec = tmp_path / "spec.yaml"
    spec.write_text("id: mine\nversion: '1'\ntitle: Mine\nextends: [resolution]\n")
    (transfer / "define.xml").write_text("<ODM/>")
    path = spec if target == "spec" else transfer / target
    before = path.read_bytes()
    code, err = run(capsys, "validate", transfer, "--spec", spec, "--json", path)
    assert code == 2 and "is a file this run reads" in err, err
    assert path.read_bytes() == before


def test_an_output_that_is_a_folder_is_refused(transfer, tmp_path, capsys):
    code, err = run(capsys, "validate", transfer, "--spec", "resolution", "--html", tmp_path)
    assert code == 2 and "is a folder" in err


def test_a_failed_write_leaves_the_old_report_and_no_temporary_file(tmp_path):
    target = tmp_path / "r.xlsx"
    target.write_text("old")

    def broken(path):
        path.write_text("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_report(target, None, broken)
    assert target.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["r.xlsx"]


def test_concurrent_writers_never_share_a_temporary_file(tmp_path):
    target = tmp_path / "r.json"
    seen = []

    def remember(path):
        seen.append(path)
        path.write_text("x")

    write_report(target, None, remember)
    write_report(target, None, remember)
    assert seen[0] != seen[1] and oct(target.stat().st_mode & 0o777) != oct(0o600)


def test_a_run_killed_while_writing_leaves_the_previous_report_whole(tmp_path):
    target = tmp_path / "r.json"
    target.write_text('{"complete": true}')
    code = (
        "import sys, time; from pathlib import Path; from trialguard.report import write_report\n"
        "def slow(path):\n"
        "    path.write_text('{\"half')\n"
        "    Path(sys.argv[2]).touch()\n"
        "    time.sleep(60)\n"
        "write_report(sys.argv[1], None, slow)\n"
    )
    started = tmp_path / "started"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", code, str(target), str(started)], env=env)
    deadline = time.monotonic() + 60
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert started.exists() and target.read_text() == '{"complete": true}'
