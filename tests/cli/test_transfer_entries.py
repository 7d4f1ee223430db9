"""Only regular files of the transfer are read: links out of the folder, folders, FIFOs and
archives named like datasets are reported with what they are, never read and never dropped."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from conftest import SAMPLES

from trialguard.cli import main


@pytest.fixture
def transfer(tmp_path):
    folder = tmp_path / "transfer"
    shutil.copytree(SAMPLES / "clean", folder)
    return folder


def validate(capsys, folder, tmp_path) -> tuple[int, str, dict]:
    out = tmp_path / "r.json"
    code = main(["validate", str(folder), "--spec", "resolution", "--json", str(out)])
    err = capsys.readouterr().err
    return code, err, json.loads(out.read_text()) if out.exists() else {}


def unreadable(report: dict) -> dict[str, tuple[str, str | None]]:
    return {u["dataset"]: (u["reason"], u["sha256"]) for u in report["unreadable"]}


def skipped(report: dict) -> dict[str, str]:
    return {os.path.basename(s["path"]): s["reason"] for s in report["skipped"]}


def test_a_link_out_of_the_transfer_is_not_read(transfer, tmp_path, capsys):
    outside = tmp_path / "elsewhere.xpt"
    (transfer / "ae.xpt").rename(outside)
    (transfer / "ae.xpt").symlink_to(outside)
    code, err, report = validate(capsys, transfer, tmp_path)
    reason, digest = unreadable(report)["AE"]
    assert code == 2 and "outside the transfer folder" in reason and str(outside) in reason
    assert digest is None and "AE" not in [d["dataset"] for d in report["inputs"]]
    assert "outside the transfer folder" in err


def test_a_link_inside_the_transfer_is_followed(transfer, tmp_path, capsys):
    (transfer / "sent").mkdir()
    (transfer / "ae.xpt").rename(transfer / "sent" / "ae-v2.xpt")
    (transfer / "ae.xpt").symlink_to(transfer / "sent" / "ae-v2.xpt")
    code, _, report = validate(capsys, transfer, tmp_path)
    assert code == 0 and not report["unreadable"]


def test_a_broken_link_is_named_broken(transfer, tmp_path, capsys):
    (transfer / "ae.xpt").unlink()
    (transfer / "ae.xpt").symlink_to(tmp_path / "gone.xpt")
    code, _, report = validate(capsys, transfer, tmp_path)
    assert code == 2 and "broken symbolic link" in unreadable(report)["AE"][0]


def test_a_folder_named_like_a_dataset_makes_it_unreadable(transfer, tmp_path, capsys):
    (transfer / "ae.xpt").unlink()
    (transfer / "ae.xpt").mkdir()
    code, _, report = validate(capsys, transfer, tmp_path)
    assert code == 2 and unreadable(report)["AE"] == ("a folder, not a file", None)


def test_a_fifo_named_like_a_dataset_never_hangs_the_run(transfer, tmp_path, capsys):
    (transfer / "ex.xpt").unlink()
    for name in ("ex.xpt", "ts.xpt", "notes.csv"):
        os.mkfifo(transfer / name)
    code, _, report = validate(capsys, transfer, tmp_path)
    fifo = "a FIFO (named pipe), not a regular file"
    assert code == 2 and unreadable(report)["EX"] == (fifo, None)
    assert unreadable(report)["TS"] == (fifo, None)
    assert skipped(report)["notes.csv"] == fifo


def test_a_fifo_beside_the_real_file_leaves_both_unreadable(transfer, tmp_path, capsys):
    os.mkfifo(transfer / "ex.csv")
    code, _, report = validate(capsys, transfer, tmp_path)
    sent = {u["path"].rsplit("/", 1)[1]: u for u in report["unreadable"] if u["dataset"] == "EX"}
    assert code == 2 and sorted(sent) == ["ex.csv", "ex.xpt"]
    assert sent["ex.csv"]["sha256"] is None and sent["ex.xpt"]["sha256"]


def test_an_archive_is_named_with_what_to_do(transfer, tmp_path, capsys):
    (transfer / "study.zip").write_bytes(b"PK\x03\x04")
    (transfer / "more.tar.gz").write_bytes(b"\x1f\x8b")
    code, _, report = validate(capsys, transfer, tmp_path)
    assert code == 0
    assert "unzip study.zip" in skipped(report)["study.zip"]
    assert "tar -xf more.tar.gz" in skipped(report)["more.tar.gz"]


def test_a_folder_of_archives_only_says_unpack(tmp_path, capsys):
    folder = tmp_path / "upload"
    folder.mkdir()
    (folder / "study.zip").write_bytes(b"PK\x03\x04")
    code = main(["validate", str(folder), "--spec", "resolution"])
    err = capsys.readouterr().err
    assert code == 2 and "Found 1 archive: study.zip" in err and "unzip study.zip" in err


@pytest.mark.parametrize("kind", ["fifo", "archive", "missing"])
def test_a_path_given_that_is_no_dataset_file_is_refused(tmp_path, capsys, kind):
    path = tmp_path / {"fifo": "ae.csv", "archive": "ae.xpt.gz", "missing": "ae.xpt"}[kind]
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "archive":
        path.write_bytes(b"\x1f\x8b")
    code = main(["validate", str(path), "--spec", "resolution"])
    err = capsys.readouterr().err
    said = {"fifo": "a FIFO", "archive": "gunzip ae.xpt.gz", "missing": "no such file"}[kind]
    assert code == 2 and said in err and str(path) in err


def test_a_file_the_system_refuses_to_open_is_unreadable_not_a_crash(
    transfer, tmp_path, capsys, monkeypatch
):
    from trialguard.readers import study

    def refused(path, name, encoding):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setitem(study.READERS, "xpt", refused)
    code, _, report = validate(capsys, transfer, tmp_path)
    assert code == 2
    assert unreadable(report)["AE"][0] == "cannot be read (Permission denied)"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_a_file_without_read_permission_is_unreadable(transfer, tmp_path, capsys):
    (transfer / "ae.xpt").chmod(0)
    code, _, report = validate(capsys, transfer, tmp_path)
    assert code == 2 and "Permission denied" in unreadable(report)["AE"][0]


def test_a_loop_of_links_is_named_a_loop(transfer, tmp_path, capsys):
    (transfer / "ae.xpt").unlink()
    (transfer / "ae.xpt").symlink_to(transfer / "ae.xpt")
    os.mkfifo(transfer / "notes.txt")
    code, _, report = validate(capsys, transfer, tmp_path)
    assert code == 2 and "a loop of links" in unreadable(report)["AE"][0]
    assert skipped(report)["notes.txt"] == "a FIFO (named pipe), not a regular file"
