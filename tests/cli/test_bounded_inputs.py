"""Small inputs (waivers, manifest, spec, previous report) are read only as regular files and
within their limit: /dev/zero and a FIFO end in exit 2 at once, never a hang or MemoryError."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import ROOT, SAMPLES

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def trialguard(*args) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "trialguard", "validate", str(SAMPLES / "clean"), *args]
    return subprocess.run(command, capture_output=True, text=True, env=ENV, timeout=120)


@pytest.mark.parametrize("option", ["--waivers", "--manifest", "--previous", "--spec"])
def test_a_device_that_never_ends_is_refused_at_once(option):
    args = [option, "/dev/zero"] + ([] if option == "--spec" else ["--spec", "resolution"])
    result = trialguard(*args)
    assert result.returncode == 2, result.stderr
    assert "/dev/zero" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_as_the_manifest_does_not_hang(tmp_path):
    fifo = tmp_path / "manifest.csv"
    os.mkfifo(fifo)
    result = trialguard("--spec", "resolution", "--manifest", str(fifo))
    assert result.returncode == 2 and "not a regular file" in result.stderr, result.stderr


def test_a_waivers_file_over_the_limit_is_refused(tmp_path):
    big = tmp_path / "waivers.yaml"
    big.write_bytes(b"# " + b"x" * 2_100_000)
    result = trialguard("--spec", "resolution", "--waivers", str(big))
    assert result.returncode == 2 and "the limit" in result.stderr, result.stderr
