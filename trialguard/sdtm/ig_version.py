"""Which SDTMIG version a study was made with, and where that came from.

The data's own statement wins: TS (TSPARMCD = SDTIGVER), then the define.xml, then the
version the user gives (`--ig`), else 3.4 with a note.  Versions are judged by three models:
3.1.2 to 3.2 (no ARMNRS, ACTARMUD; SCRNFAIL arm codes), 3.3 and 3.4.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

DEFAULT_IG = "3.4"
IG_MODELS = {"3.1.2": "3.2", "3.1.3": "3.2", "3.2": "3.2", "3.3": "3.3", "3.4": "3.4"}
VERSION_TEXT = re.compile(r"(\d+\.\d+(?:\.\d+)?)")


@dataclass(frozen=True)
class IgVersion:
    version: str  # as the source states it, e.g. 3.1.2
    source: str  # "TS SDTIGVER", the define.xml's path, "--ig" or "default"
    note: str = ""

    @property
    def model(self) -> str:
        """The model trialguard judges this version by: 3.2, 3.3 or 3.4."""
        return IG_MODELS[self.version]


def known_ig(text: str) -> str | None:
    """The supported version a text names ('3.2', 'SDTMIG v3.3', '3-4'), or None."""
    match = VERSION_TEXT.search(str(text).replace("-", "."))
    return match.group(1) if match and match.group(1) in IG_MODELS else None


def ts_ig_version(ts: pd.DataFrame | None) -> str | None:
    """TSVAL of TSPARMCD = SDTIGVER, as written (None when TS does not say)."""
    if ts is None or not {"TSPARMCD", "TSVAL"} <= set(ts.columns):
        return None
    values = ts.loc[ts["TSPARMCD"].astype("string").str.upper() == "SDTIGVER", "TSVAL"].dropna()
    return str(values.iloc[0]) if len(values) else None


def study_ig(
    ts_value: str | None, define_value: str | None, define_path: str | None, given: str | None
) -> IgVersion:
    """The version to judge the study by, from the first source that names one we model."""
    stated = [
        ("TS SDTIGVER", ts_value),
        (str(define_path), define_value),
    ]
    notes = []
    for source, value in stated:
        if value is None:
            continue
        version = known_ig(value)
        if version is not None:
            if given is not None and known_ig(given) != version:
                notes.append(f"--ig {given} was not used: the study states {version}")
            return IgVersion(version, source, "; ".join(notes))
        notes.append(f"{source} names SDTMIG {value!r}, which trialguard has no model of")
    if given is not None:
        return IgVersion(known_ig(given) or DEFAULT_IG, "--ig", "; ".join(notes))
    notes.append(
        "the study states no SDTMIG version (TS SDTIGVER or define.xml): judged as 3.4; "
        "give --ig to say otherwise"
    )
    return IgVersion(DEFAULT_IG, "default", "; ".join(notes))
