"""A dataset the machine has not the memory to read is unreadable, named with its size (exit 2),
never a crash: the run is capped (RLIMIT_AS) a little above what its imports take, and an LB of
1,500,000 declared records, 0.2 MB compressed, is read under the cap."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
import textwrap

import pytest
from conftest import ROOT, SAMPLES

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS and /proc: Linux")

CAPPED = textwrap.dedent(
    """
    import resource, sys
    import jsonschema, numpy, pandas, pyreadstat  # what the readers import, before the cap
    from trialguard.cli import main
    status = open("/proc/self/status").read().splitlines()
    size = next(int(line.split()[1]) for line in status if line.startswith("VmSize")) * 1024
    cap = size + 200 * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    sys.exit(main(sys.argv[1:]))
    """
)
RECORDS = 1_500_000


def lab_dsjc(path) -> None:
    columns = [
        {"itemOID": f"IT.LB.{name}", "name": name, "label": name, "dataType": kind}
        for name, kind in [("STUDYID", "string"), ("DOMAIN", "string"), ("USUBJID", "string")]
    ] + [{"itemOID": "IT.LB.LBSEQ", "name": "LBSEQ", "label": "Seq", "dataType": "integer"}]
    meta = {
        "datasetJSONCreationDateTime": "2026-01-01T00:00:00",
        "datasetJSONVersion": "1.1.0",
        "itemGroupOID": "IG.LB",
        "records": RECORDS,
        "name": "LB",
        "label": "Laboratory Test Results",
        "columns": columns,
    }
    row = json.dumps(["RESOLUTION", "LB", "RES-001", 1]).encode() + b"\n"
    path.write_bytes(gzip.compress(json.dumps(meta).encode() + b"\n" + row * RECORDS, 1))


def test_a_dataset_too_large_for_the_memory_left_is_unreadable_with_its_size(tmp_path):
    transfer = tmp_path / "transfer"
    shutil.copytree(SAMPLES / "clean", transfer)
    lab_dsjc(transfer / "lb.dsjc")
    command = [sys.executable, "-c", CAPPED, "validate", str(transfer), "--spec", "sdtm"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 2, result.stderr
    assert "lb.dsjc: ran out of memory reading this" in result.stderr
    assert "KiB file" in result.stderr and "Traceback" not in result.stderr
    assert "NOT READ: LB" in result.stdout
