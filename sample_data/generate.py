"""Make the sample transfers of the four seed trials: a clean study and one with planted defects.

Deterministic: the same code writes byte-identical files (XPT header time
stamps are fixed), so a test can prove the committed files are current.

    python sample_data/generate.py [OUTPUT_FOLDER]

writes, for each trial, <trial>/clean/*.xpt, <trial>/defects/*.xpt, a CSV copy
of the defects in <trial>/defects-csv/, and <trial>/expected_defects.json: the
(rule id, USUBJID, variables) of every planted defect.  For RESOLUTION it also
writes resolution/transfer-2/, the next delivery after the defects sample
(see transfers.py).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pandas as pd
import pyreadstat

sys.path.insert(0, str(Path(__file__).resolve().parent))

from defects import DEFECTS  # noqa: E402
from studies import TRIALS, make_study  # noqa: E402
from transfers import second_transfer  # noqa: E402

LABELS = {
    "STUDYID": "Study Identifier",
    "DOMAIN": "Domain Abbreviation",
    "USUBJID": "Unique Subject Identifier",
    "SUBJID": "Subject Identifier for the Study",
    "RFSTDTC": "Subject Reference Start Date/Time",
    "RFENDTC": "Subject Reference End Date/Time",
    "RFXSTDTC": "Date/Time of First Study Treatment",
    "RFXENDTC": "Date/Time of Last Study Treatment",
    "RFICDTC": "Date/Time of Informed Consent",
    "RFPENDTC": "Date/Time of End of Participation",
    "DTHDTC": "Date/Time of Death",
    "DTHFL": "Subject Death Flag",
    "SITEID": "Study Site Identifier",
    "AGE": "Age",
    "AGEU": "Age Units",
    "SEX": "Sex",
    "RACE": "Race",
    "ETHNIC": "Ethnicity",
    "ARMCD": "Planned Arm Code",
    "ARM": "Description of Planned Arm",
    "ACTARMCD": "Actual Arm Code",
    "ACTARM": "Description of Actual Arm",
    "ARMNRS": "Reason Arm and/or Actual Arm is Null",
    "ACTARMUD": "Description of Unplanned Actual Arm",
    "COUNTRY": "Country",
    "EXSEQ": "Sequence Number",
    "EXTRT": "Name of Treatment",
    "EXDOSE": "Dose",
    "EXDOSU": "Dose Units",
    "EXDOSFRM": "Dose Form",
    "EXROUTE": "Route of Administration",
    "VISITNUM": "Visit Number",
    "EXSTDTC": "Start Date/Time of Treatment",
    "EXENDTC": "End Date/Time of Treatment",
    "EXSTDY": "Study Day of Start of Treatment",
    "EXENDY": "Study Day of End of Treatment",
    "AESEQ": "Sequence Number",
    "AETERM": "Reported Term for the Adverse Event",
    "AEDECOD": "Dictionary-Derived Term",
    "AEBODSYS": "Body System or Organ Class",
    "AESER": "Serious Event",
    "AEACN": "Action Taken with Study Treatment",
    "AEREL": "Causality",
    "AETOXGR": "Standard Toxicity Grade",
    "AESTDTC": "Start Date/Time of Adverse Event",
    "AEENDTC": "End Date/Time of Adverse Event",
    "AESTDY": "Study Day of Start of Adverse Event",
    "AEENDY": "Study Day of End of Adverse Event",
    "DLSEQ": "Sequence Number",
    "DLTERM": "Dose-Limiting Toxicity",
    "DLAESEQ": "Sequence Number of the Matching AE",
    "DLSTDTC": "Start Date/Time of DLT",
    "DLSTDY": "Study Day of Start of DLT",
    "DLTOXGR": "Standard Toxicity Grade",
    "RDOMAIN": "Related Domain Abbreviation",
    "IDVAR": "Identifying Variable",
    "IDVARVAL": "Identifying Variable Value",
    "QNAM": "Qualifier Variable Name",
    "QLABEL": "Qualifier Variable Label",
    "QVAL": "Data Value",
    "QORIG": "Origin",
    "QEVAL": "Evaluator",
    "TAETORD": "Planned Order of Element within Arm",
    "ETCD": "Element Code",
    "ELEMENT": "Description of Element",
    "SETCD": "Set Code",
    "TXSEQ": "Sequence Number",
    "TXPARMCD": "Trial Set Parameter Short Name",
    "TXPARM": "Trial Set Parameter",
    "TXVAL": "Trial Set Parameter Value",
    "PRSEQ": "Sequence Number",
    "PRTRT": "Reported Name of Procedure",
    "PRCAT": "Category",
    "PRSTDTC": "Start Date/Time of Procedure",
    "PRSTDY": "Study Day of Start of Procedure",
    "MHSEQ": "Sequence Number",
    "MHTERM": "Reported Term for the Medical History",
    "MHDECOD": "Dictionary-Derived Term",
    "MHCAT": "Category for Medical History",
    "MHSTDTC": "Start Date/Time of Medical History Event",
    "RSSEQ": "Sequence Number",
    "RSTESTCD": "Assessment Short Name",
    "RSTEST": "Assessment Name",
    "RSCAT": "Category for Assessment",
    "RSORRES": "Result or Finding in Original Units",
    "RSORRESU": "Original Units",
    "RSSTRESC": "Character Result/Finding in Std Format",
    "RSSTRESN": "Numeric Result/Finding in Standard Units",
    "RSSTRESU": "Standard Units",
    "VISIT": "Visit Name",
    "RSDTC": "Date/Time of Assessment",
    "RSDY": "Study Day of Assessment",
}


# ---------------------------------------------------------------- writing
FILE_NAMES = {
    "dm": "dm",
    "ex": "ex",
    "ae": "ae",
    "dl": "dlt",
    "suppae": "suppae",
    "ta": "ta",
    "tx": "tx",
    "pr": "pr",
    "mh": "mh",
    "rs": "rs",
}
_SAS_STAMP = re.compile(rb"\d\d[A-Z]{3}\d\d:\d\d:\d\d:\d\d")


# SDTMIG Num variables of the samples: an empty dataset stores them as numbers too.
NUMERIC = {"AGE", "EXSEQ", "EXDOSE", "VISITNUM", "EXSTDY", "EXENDY", "AESEQ", "AESTDY", "AEENDY"}
NUMERIC |= {"DLSEQ", "DLAESEQ", "DLSTDY", "TAETORD", "PRSEQ", "PRSTDY", "TXSEQ"}
NUMERIC |= {"MHSEQ", "RSSEQ", "RSSTRESN", "RSDY"}


def write_xpt(frame: pd.DataFrame, path: Path, name: str) -> None:
    labels = {c: LABELS.get(c, c) for c in frame.columns}
    frame = frame.astype({c: "float64" for c in NUMERIC if c in frame.columns and frame.empty})
    pyreadstat.write_xport(
        frame, str(path), table_name=name.upper(), column_labels=labels, file_format_version=5
    )
    _freeze_timestamps(path)


def _freeze_timestamps(path: Path) -> None:
    """Header time stamps would make every run differ; fix them to the data cut date."""
    data = path.read_bytes()
    body = data.find(b"HEADER RECORD*******OBS     HEADER RECORD")
    head = _SAS_STAMP.sub(b"01DEC25:00:00:00", data[:body])
    path.write_bytes(head + data[body:])


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    text = frame.copy()
    for column in text.columns:
        if pd.api.types.is_float_dtype(text[column]):
            text[column] = text[column].map(lambda v: "" if pd.isna(v) else f"{v:g}")
    text.to_csv(path, index=False, lineterminator="\n")


def write_study(frames: dict[str, pd.DataFrame], folder: Path, fmt: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        target = folder / f"{FILE_NAMES[name]}.{fmt}"
        write_xpt(frame, target, name) if fmt == "xpt" else write_csv(frame, target)


def main(output: Path) -> None:
    for trial in TRIALS:
        folder = output / trial.key
        write_study(make_study(trial), folder / "clean", "xpt")
        defects, expected = DEFECTS[trial.key]().result()
        write_study(defects, folder / "defects", "xpt")
        write_study(defects, folder / "defects-csv", "csv")
        listing = [{"rule_id": r, "usubjid": u, "variables": v} for r, u, v in expected]
        (folder / "expected_defects.json").write_text(json.dumps(listing, indent=1) + "\n")
        if trial.key == "resolution":
            write_study(second_transfer(defects), folder / "transfer-2", "xpt")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent)
