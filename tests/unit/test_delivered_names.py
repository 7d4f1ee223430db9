"""Files as transfers deliver them: named otherwise than their dataset (matched by the name
stored in them or as the user says), SUPP-- of split datasets, text in Windows-1252."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
from conftest import ROOT

from trialguard.errors import InputError, UsageError
from trialguard.readers import read_study
from trialguard.readers.dataset import dataset_name, dataset_of
from trialguard.readers.stored_names import read_stored_name

sys.path.insert(0, str(ROOT / "tests" / "corpus"))
from sas7bdat_writer import write_sas7bdat  # noqa: E402

DM = pd.DataFrame({"STUDYID": ["S"], "DOMAIN": ["DM"], "USUBJID": ["S-1"]})
AE = pd.DataFrame({"STUDYID": ["S"] * 2, "DOMAIN": ["AE"] * 2, "USUBJID": ["S-1"] * 2})


def xpt(path: Path, frame: pd.DataFrame, member: str, version: int = 5) -> Path:
    pyreadstat.write_xport(frame, str(path), table_name=member, file_format_version=version)
    return path


def taken(study) -> dict[str, tuple[str, str]]:
    return {name: (d.path.name, d.taken_by) for name, d in study.datasets.items()}


@pytest.mark.parametrize(
    ("stem", "dataset"),
    [("supplbch", "SUPPLBCH"), ("SUPPQSCO", "SUPPQSCO"), ("suppae", "SUPPAE"),
     ("suppqual", "SUPPQUAL"), ("suppxyab", "SUPPXYAB"), ("supplies", None), ("supplier", None),
     ("suppadsl", None), ("qsco", "QSCO"), ("dlt", "DL"), ("adsl", None)],
)  # fmt: skip
def test_supp_of_a_split_dataset_is_a_dataset_name_and_other_supp_words_are_not(stem, dataset):
    assert dataset_of(stem) == dataset
    assert dataset_name(Path(f"{stem}.csv")) == dataset


def test_supp_files_of_split_datasets_are_read(tmp_path, tmp_csv):
    xpt(tmp_path / "dm.xpt", DM, "DM")
    for name in ("supplbch.xpt", "supplbhe.xpt", "supplbur.xpt"):
        xpt(tmp_path / name, pd.DataFrame({"RDOMAIN": ["LB"], "QNAM": ["X"]}), name[:-4].upper())
    tmp_csv("suppqsco.csv", "STUDYID,RDOMAIN,USUBJID,QNAM\nS,QS,S-1,X\n")
    study = read_study([tmp_path])
    assert set(study.datasets) == {"DM", "SUPPLBCH", "SUPPLBHE", "SUPPLBUR", "SUPPQSCO"}
    assert not study.skipped and not study.notices


def test_files_not_named_after_their_dataset_are_taken_by_the_name_they_hold(tmp_path, tmp_csv):
    xpt(tmp_path / "CDISC01_dm.xpt", DM, "DM")
    xpt(tmp_path / "ae_20251201.xpt", AE, "AE", version=8)
    xpt(tmp_path / "lab-chem.xpt", pd.DataFrame({"DOMAIN": ["LB"]}), "LBCH")
    tmp_csv("study-x_VS.csv", "STUDYID,DOMAIN,USUBJID\nS,VS,S-1\nS,VS,S-2\n")
    tmp_csv("study-x_QSCO.csv", "STUDYID,DOMAIN,USUBJID\nS,QS,S-1\n")  # DOMAIN says QS only
    tmp_csv("extra_supp.csv", "STUDYID,RDOMAIN,USUBJID,QNAM\nS,AE,S-1,X\n")
    study = read_study([tmp_path])
    assert taken(study) == {
        "DM": ("CDISC01_dm.xpt", "XPT member name"),
        "AE": ("ae_20251201.xpt", "XPT member name"),
        "LBCH": ("lab-chem.xpt", "XPT member name"),
        "VS": ("study-x_VS.csv", "DOMAIN"),
        "QS": ("study-x_QSCO.csv", "DOMAIN"),
        "SUPPAE": ("extra_supp.csv", "RDOMAIN"),
    }
    assert study.complete and not study.skipped and not study.notices


def test_sas7bdat_and_dataset_json_are_taken_by_their_table_and_name(tmp_path):
    xpt(tmp_path / "dm.xpt", DM, "DM")
    write_sas7bdat(AE, tmp_path / "x_1.sas7bdat", "AE", compressed=False)
    assert read_stored_name(tmp_path / "x_1.sas7bdat") == "AE"
    meta = {"datasetJSONVersion": "1.1.0", "name": "AE", "label": "Adverse Events"}
    (tmp_path / "x_2.json").write_text(json.dumps({**meta, "rows": []}))
    (tmp_path / "x_3.ndjson").write_text(json.dumps({**meta, "name": "Ts"}) + "\n")
    assert read_stored_name(tmp_path / "x_2.json") == "AE"
    assert read_stored_name(tmp_path / "x_3.ndjson") == "TS"
    (tmp_path / "x_4.json").write_text(json.dumps({"rows": [[1]] * 300_000, "name": "AE"}))
    with pytest.raises(InputError, match="not among the members of its first MiB"):
        read_stored_name(tmp_path / "x_4.json")


def test_two_files_for_one_dataset_stay_an_error_naming_both_and_how_each_was_taken(tmp_path):
    xpt(tmp_path / "dm.xpt", DM, "DM")
    xpt(tmp_path / "ae.xpt", AE, "AE")
    xpt(tmp_path / "CDISC01_ae.xpt", AE, "AE")
    study = read_study([tmp_path])
    assert "AE" not in study.datasets and [u.dataset for u in study.unreadable] == ["AE", "AE"]
    assert study.unread("AE").reason == (
        "one of 2 files for dataset AE (CDISC01_ae.xpt (by its XPT member name) and ae.xpt); "
        "send exactly one"
    )


def test_a_file_named_after_a_dataset_keeps_its_name_and_a_differing_stored_name_is_noted(
    tmp_path,
):
    xpt(tmp_path / "dm.xpt", DM, "DM")
    xpt(tmp_path / "ae.xpt", AE, "DM")
    xpt(tmp_path / "qsco.xpt", pd.DataFrame({"DOMAIN": ["QS"]}), "QS")  # its domain: agrees
    study = read_study([tmp_path])
    assert taken(study)["AE"] == ("ae.xpt", "file name") and study.complete
    assert study.notices == [
        "ae.xpt: named for AE, but its XPT member name is DM; read as AE "
        "(--dataset-name ae.xpt=DM reads it as DM)"
    ]


def test_the_dataset_name_given_decides_over_file_and_stored_names(tmp_path):
    xpt(tmp_path / "dm.xpt", DM, "DM")
    xpt(tmp_path / "ae.xpt", AE, "DM")
    xpt(tmp_path / "adverse.xpt", AE, "XX")
    names = {"ae.xpt": "ce", str(tmp_path / "adverse.xpt"): "AE"}
    study = read_study([tmp_path], dataset_names=names)
    assert taken(study) == {
        "DM": ("dm.xpt", "file name"),
        "CE": ("ae.xpt", "--dataset-name"),
        "AE": ("adverse.xpt", "--dataset-name"),
    }
    assert not study.notices
    with pytest.raises(UsageError, match="'ADSL' is not an SDTM dataset name"):
        read_study([tmp_path], dataset_names={"ae.xpt": "ADSL"})
    with pytest.raises(UsageError, match="lb.xpt=LB: no such dataset file was given"):
        read_study([tmp_path], dataset_names={"lb.xpt": "LB"})


def test_files_holding_no_dataset_name_or_none_that_can_be_read_are_skipped_with_why(
    tmp_path, tmp_csv
):
    xpt(tmp_path / "dm.xpt", DM, "DM")
    xpt(tmp_path / "analysis.xpt", DM, "ADSL")
    tmp_csv("listing.csv", "USUBJID,AETERM\nS-1,x\n")
    (tmp_path / "CDISC01_ae.xpt").write_bytes(b"\x00\x81garbage" * 50)
    (tmp_path / "x_ae.sas7bdat").write_bytes(b"\x00" * 100)
    (tmp_path / "x_ae.dsjc").write_bytes(b"not compressed")
    (tmp_path / "._ae.xpt").write_bytes(b"\x00\x05\x16\x07")
    study = read_study([tmp_path])
    assert set(study.datasets) == {"DM"} and study.complete
    skipped = {Path(p).name: why for p, why in study.skipped}
    no_name = "not named after an SDTM dataset (e.g. mh.xpt, suppae.csv) and holds no dataset name"
    assert skipped["analysis.xpt"] == skipped["listing.csv"] == f"{no_name}: not read"
    assert skipped["CDISC01_ae.xpt"] == (
        "looks like AE with a sponsor prefix 'CDISC01_': name it ae.xpt; the dataset name it "
        "holds cannot be read: not a SAS transport (XPT) file: no XPORT library header"
    )
    assert "not a SAS7BDAT file" in skipped["x_ae.sas7bdat"]
    assert "not zlib or gzip compressed data" in skipped["x_ae.dsjc"]
    assert skipped["._ae.xpt"] == "a hidden file: not read"


def test_a_csv_taken_by_its_domain_must_hold_that_one_domain(tmp_path, tmp_csv):
    xpt(tmp_path / "dm.xpt", DM, "DM")
    tmp_csv("export_1.csv", "STUDYID,DOMAIN,USUBJID\nS,AE,S-1\nS,CM,S-1\n")
    study = read_study([tmp_path])
    assert study.unread("AE").reason == (
        "not named after a dataset, and its DOMAIN holds 2 values (AE, CM): name the file after "
        "its dataset or give --dataset-name export_1.csv=NAME"
    )


def test_xpt_text_in_windows_1252_is_read_and_noted_with_variable_and_record(tmp_path):
    frame = pd.DataFrame({"STUDYID": ["S"] * 3, "TSVAL": ["a", "Alzheimer's", "b"]})
    path = xpt(tmp_path / "ts.xpt", frame, "TS")
    path.write_bytes(path.read_bytes().replace(b"Alzheimer's", "Alzheimer’s".encode("cp1252")))
    xpt(tmp_path / "dm.xpt", DM, "DM")
    study = read_study([tmp_path])
    assert study.datasets["TS"].frame.loc[2, "TSVAL"] == "Alzheimer’s" and study.complete
    assert study.notices == ["ts.xpt: text of TSVAL (record 2) is not UTF-8; read as Windows-1252"]
    given = read_study([tmp_path], encoding="utf-8")
    assert "a text value is not valid utf-8;" in given.unread("TS").reason and not given.notices


@pytest.mark.parametrize("byte", [0x81, 0x8D, 0x8F, 0x90, 0x9D])
def test_text_neither_utf8_nor_windows_1252_leaves_the_file_unreadable(tmp_path, byte):
    frame = pd.DataFrame({"STUDYID": ["S"] * 2, "TSVAL": ["plain", "odd-"]})
    path = xpt(tmp_path / "ts.xpt", frame, "TS")
    path.write_bytes(path.read_bytes().replace(b"odd-", b"odd" + bytes([byte])))
    xpt(tmp_path / "dm.xpt", DM, "DM")
    study = read_study([tmp_path])
    assert "TS" not in study.datasets and not study.complete
    assert study.unread("TS").reason == (
        f"text of TSVAL (record 2) is neither UTF-8 nor Windows-1252 (byte 0x{byte:02x}); "
        "give the file's encoding with --encoding"
    )


def test_csv_text_in_windows_1252_is_read_and_noted_and_a_mix_keeps_utf8_values(tmp_csv):
    text = "USUBJID,AETERM,AEOUT\nA-1,Fièvre,RÉSOLU\nA-2,Toux,RÉSOLU\n".encode()
    path = tmp_csv("dm.csv", "USUBJID\nA-1\n").with_name("ae.csv")
    path.write_bytes(text.replace("Fièvre".encode(), "Fièvre".encode("cp1252")))
    study = read_study([path.parent])
    frame = study.datasets["AE"].frame
    assert frame["AETERM"].tolist() == ["Fièvre", "Toux"] and frame.loc[1, "AEOUT"] == "RÉSOLU"
    assert study.notices == ["ae.csv: text of AETERM (record 1) is not UTF-8; read as Windows-1252"]
    path.write_bytes(b"USUBJID,AETERM\nA-1,ok\nA-2,bad\x81\n")
    assert read_study([path.parent]).unread("AE").reason == (
        "text of AETERM (record 2) is neither UTF-8 nor Windows-1252 (byte 0x81); "
        "give the file's encoding with --encoding"
    )
