"""The second RESOLUTION transfer, made from the first (the defects sample) the way a real
re-delivery differs: new subjects, a corrected infusion date, a lost AE record, two fixes.

Every change is listed in CHANGES with what the comparison must report.
"""

from __future__ import annotations

import pandas as pd

SUBJECT = "ALLO-329-101-{:04d}"

# (what changed, dataset, USUBJID, --SEQ or None, variables) as the comparison reports it.
CHANGES = [
    ("added", "DM", SUBJECT.format(118), None, []),
    ("added", "DM", SUBJECT.format(119), None, []),
    ("changed", "DM", SUBJECT.format(105), None, ["SEX"]),  # fixes SD-CT
    ("changed", "DM", SUBJECT.format(115), None, ["AGE"]),  # fixes RES-AGE
    ("changed", "EX", SUBJECT.format(109), 5, ["EXENDTC", "EXENDY", "EXSTDTC", "EXSTDY"]),
    ("removed", "AE", SUBJECT.format(101), 1, []),
]


def second_transfer(first: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    frames = {name: frame.copy() for name, frame in first.items()}
    dm, ex, ae = frames["dm"], frames["ex"], frames["ae"]
    frames["dm"] = pd.concat([dm, _screen_failures(dm, 118, 119)], ignore_index=True)
    dm = frames["dm"]
    dm.loc[dm["USUBJID"] == SUBJECT.format(105), "SEX"] = "M"
    dm.loc[dm["USUBJID"] == SUBJECT.format(115), "AGE"] = 69.0
    # The site corrected 0109's infusion date: one day earlier (LD now starts on Day -4).
    infusion = (ex["USUBJID"] == SUBJECT.format(109)) & (ex["EXTRT"] == "ALLO-329")
    ex.loc[infusion, ["EXSTDTC", "EXENDTC"]] = "2025-09-23"
    ex.loc[infusion, ["EXSTDY", "EXENDY"]] = 5.0
    lost = (ae["USUBJID"] == SUBJECT.format(101)) & (ae["AESEQ"] == 1)
    frames["ae"] = ae[~lost].reset_index(drop=True)
    return frames


def _screen_failures(dm: pd.DataFrame, *numbers: int) -> pd.DataFrame:
    template = dm[dm["ARMNRS"] == "SCREEN FAILURE"].iloc[[0]]
    rows = []
    for number in numbers:
        row = template.copy()
        row["USUBJID"] = SUBJECT.format(number)
        row["SUBJID"] = f"{number:04d}"
        rows.append(row)
    return pd.concat(rows, ignore_index=True)
