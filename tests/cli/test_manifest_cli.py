"""`trialguard manifest DIR`: the manifest a sender sends, accepted by `--manifest` on the same
files and catching a file changed since, through the real command line."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys

import pytest
import yaml
from conftest import ROOT, SAMPLES

from trialguard.readers.dataset import sha256_of

RECORDS = {"ae.csv": 15, "dlt.csv": 3, "dm.csv": 17, "ex.csv": 60, "suppae.csv": 13}


def trialguard(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "trialguard", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
        cwd=cwd,
    )


@pytest.fixture
def transfer(tmp_path):
    folder = tmp_path / "transfer"
    shutil.copytree(SAMPLES / "defects-csv", folder)
    return folder


def manifest_findings(transfer, manifest, tmp_path):
    out = tmp_path / "r.json"
    run = trialguard(
        "validate", transfer, "--spec", "resolution", "--manifest", manifest, "--json", out
    )
    assert run.returncode in (0, 1), run.stderr
    report = json.loads(out.read_text())
    status = next(r["status"] for r in report["rules"] if r["id"] == "TRANSFER-MANIFEST")
    found = [f["message"] for f in report["findings"] if f["rule_id"] == "TRANSFER-MANIFEST"]
    return status, found


def test_the_manifest_lists_every_dataset_file_with_records_hash_and_size(transfer, tmp_path):
    out = tmp_path / "manifest.csv"
    result = trialguard("manifest", transfer, "-o", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Wrote {out}: 5 dataset file(s), 108 records\n"
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0]) == ["dataset", "file", "records", "sha256", "bytes"]
    assert {r["file"]: int(r["records"]) for r in rows} == RECORDS
    dm = next(r for r in rows if r["file"] == "dm.csv")
    assert dm["dataset"] == "DM" and dm["sha256"] == sha256_of(transfer / "dm.csv")
    assert int(dm["bytes"]) == (transfer / "dm.csv").stat().st_size


def test_a_manifest_written_for_a_folder_is_accepted_on_that_folder(transfer, tmp_path):
    for name in ("manifest.csv", "manifest.yaml"):
        out = tmp_path / name
        assert trialguard("manifest", transfer, "-o", out).returncode == 0
        assert manifest_findings(transfer, out, tmp_path) == ("passed", [])
    assert yaml.safe_load((tmp_path / "manifest.yaml").read_text())["files"][0]["file"] == "ae.csv"


def test_the_manifest_catches_a_file_changed_since(transfer, tmp_path):
    out = tmp_path / "manifest.csv"
    trialguard("manifest", transfer, "-o", out)
    ae = transfer / "ae.csv"
    size = ae.stat().st_size
    lines = ae.read_text().splitlines(keepends=True)
    ae.write_text("".join(lines[:-1]))  # the last record cut off
    status, found = manifest_findings(transfer, out, tmp_path)
    assert status == "failed"
    cut = size - len(lines[-1].encode())
    assert found == [
        f"ae.csv: the manifest says {size:,} bytes, the file has {cut:,}",
        "ae.csv: the manifest says records 15, the file has 14",
        f"ae.csv: the manifest says sha256 {_listed(out, 'ae.csv')}, the file has {sha256_of(ae)}",
    ]


def test_the_manifest_catches_a_value_changed_in_place(transfer, tmp_path):
    out = tmp_path / "manifest.csv"
    trialguard("manifest", transfer, "-o", out)
    dm = transfer / "dm.csv"
    dm.write_text(dm.read_text().replace(",24,YEARS,", ",25,YEARS,", 1))  # same size, records
    status, found = manifest_findings(transfer, out, tmp_path)
    assert status == "failed" and len(found) == 1
    assert found[0].startswith("dm.csv: the manifest says sha256 ")


def _listed(manifest, file):
    return next(r["sha256"] for r in csv.DictReader(manifest.open()) if r["file"] == file)


def test_a_manifest_inside_the_folder_is_not_part_of_the_transfer(transfer, tmp_path):
    inside = transfer / "manifest.csv"
    assert trialguard("manifest", transfer, "-o", inside).returncode == 0
    assert trialguard("manifest", transfer, "-o", inside).returncode == 0  # written again
    assert "manifest.csv" not in inside.read_text()
    assert manifest_findings(transfer, inside, tmp_path) == ("passed", [])


def test_without_output_the_manifest_goes_to_stdout(transfer):
    result = trialguard("manifest", transfer)
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == "dataset,file,records,sha256,bytes"
    assert len(result.stdout.splitlines()) == 1 + len(RECORDS)


def test_a_file_that_does_not_read_is_named_and_no_manifest_is_written(transfer, tmp_path):
    (transfer / "ts.xpt").write_bytes(b"not an XPT file")
    (transfer / "adsl.csv").write_text("STUDYID,USUBJID\nS,1\n")
    out = tmp_path / "manifest.csv"
    result = trialguard("manifest", transfer, "-o", out)
    assert result.returncode == 2 and not out.exists()
    assert "ts.xpt" in result.stderr and "adsl.csv" in result.stderr
    assert "no manifest written" in result.stderr


def test_the_manifest_never_overwrites_a_dataset_and_needs_a_folder(transfer):
    result = trialguard("manifest", transfer, "-o", transfer / "dm.csv")
    assert result.returncode == 2 and "is a file this run reads" in result.stderr
    result = trialguard("manifest", transfer / "dm.csv")
    assert result.returncode == 2 and "not a folder" in result.stderr
