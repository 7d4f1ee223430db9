"""The study context every check reads: datasets, typed columns, parsed dates, subjects, Day 0.

Everything here is derived on first use and cached, so a column is converted
or parsed once per run however many rules read it.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd

from trialguard.distinct import TextFunction, factorised, per_distinct
from trialguard.readers.study import Study
from trialguard.sdtm.dates import ParsedTexts, compute_protocol_day
from trialguard.spec.loaded import Spec
from trialguard.standards import DEFAULT_STANDARDS, Standards
from trialguard.validators.outcome import NotApplicable, NotRun

DATASET_TITLES = {"DM": "DM", "EX": "EX", "AE": "AE", "DL": "DLT (DL)"}


class StudyContext:
    def __init__(self, study: Study, spec: Spec, standards: Standards = DEFAULT_STANDARDS) -> None:
        self.study = study
        self.spec = spec
        self.standards = standards
        self._numbers: dict[tuple[str, str], pd.Series] = {}
        self._dates: dict[tuple[str, str], pd.DataFrame] = {}
        self._distinct: dict[tuple[str, str], tuple[np.ndarray, pd.Series]] = {}
        self._parsed: ParsedTexts | None = None
        self.cache: dict[object, object] = {}  # for checks sharing one derived table
        self.unread_asked: set[str] = set()  # unreadable datasets the current rule asked for

    # datasets and columns -------------------------------------------------
    def has(self, name: str) -> bool:
        if self.study.unread(name) is not None:
            self.unread_asked.add(name)
        return name in self.study.datasets

    def frame(self, name: str) -> pd.DataFrame:
        if name not in self.study.datasets:
            title = DATASET_TITLES.get(name, name)
            unreadable = self.study.unread(name)
            if unreadable is not None:
                self.unread_asked.add(name)
                raise NotRun(f"{title} could not be read ({unreadable.path}: {unreadable.reason})")
            raise NotRun(f"{title} not supplied")
        return self.study.datasets[name].frame

    def supplied(self, name: str) -> None:
        """For a rule on a dataset a transfer need not hold (TS, TA, SE, RELREC, ...): a
        dataset not sent leaves the rule not applicable; one sent but unreadable, not run."""
        if not self.has(name) and self.study.unread(name) is None:
            raise NotApplicable(f"{DATASET_TITLES.get(name, name)} not supplied")

    def require_columns(self, name: str, *columns: str) -> pd.DataFrame:
        frame = self.frame(name)
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise NotRun(f"{name} lacks {', '.join(missing)}")
        return frame

    def numbers(self, name: str, column: str) -> pd.Series:
        """A column as floats; text that is not a number becomes NaN (another rule reports it)."""
        key = (name, column)
        if key not in self._numbers:
            self._numbers[key] = pd.to_numeric(self.frame(name)[column], errors="coerce")
        return self._numbers[key]

    def distinct(self, name: str, column: str) -> tuple[np.ndarray, pd.Series]:
        """The column factorised (see `trialguard.distinct.factorised`)."""
        key = (name, column)
        if key not in self._distinct:
            as_read = self.study.datasets[name].text_codes(column) if self.has(name) else None
            self._distinct[key] = as_read or factorised(self.frame(name)[column])
        return self._distinct[key]

    def per_distinct(self, name: str, column: str, function: TextFunction) -> pd.Series:
        """An element-wise text function of the column, computed once per distinct value (the
        codes kept for the run; see `trialguard.distinct.per_distinct`)."""
        return per_distinct(
            self.frame(name)[column], function, lambda _: self.distinct(name, column)
        )

    def dates(self, name: str, column: str) -> pd.DataFrame:
        """The column parsed as ISO 8601 (see `trialguard.sdtm.dates.parse_iso8601`)."""
        key = (name, column)
        if key not in self._dates:
            if self._parsed is None:  # every date column of the study, parsed in one pass
                self._parsed = ParsedTexts()
                self._parsed.add([self.distinct(n, c)[1] for n, c in self._date_columns()])
            codes, distinct = self.distinct(name, column)
            self._dates[key] = self._parsed.column(codes, distinct, self.frame(name).index)
        return self._dates[key]

    def _date_columns(self) -> list[tuple[str, str]]:
        return [
            (name, column)
            for name, dataset in self.study.datasets.items()
            for column in dataset.frame.columns
            if str(column).endswith("DTC")
        ]

    @cached_property
    def latest_date(self) -> pd.Timestamp | None:
        """The latest complete date in any --DTC column of the study (None: there is none)."""
        latest = [self.dates(n, c)["date"].max() for n, c in self._date_columns()]
        known = [day for day in latest if not pd.isna(day)]
        return max(known) if known else None

    # subjects ------------------------------------------------------------
    @cached_property
    def subjects(self) -> pd.DataFrame:
        """One row per DM subject (first of a repeated USUBJID), with its DM record number."""
        dm = self.require_columns("DM", "USUBJID")
        table = dm.reset_index().drop_duplicates("USUBJID").set_index("USUBJID")
        if "RFSTDTC" in dm.columns:
            reference = self.dates("DM", "RFSTDTC")["date"]
            table["RFSTDTC_DATE"] = reference.loc[table["record"]].to_numpy()
        return table

    def reference_dates(self, usubjid: pd.Series) -> pd.Series:
        """DM.RFSTDTC as a date for each USUBJID given (NaT where unknown or partial)."""
        subjects = self.subjects
        if "RFSTDTC_DATE" not in subjects.columns:
            raise NotRun("DM lacks RFSTDTC")
        return looked_up(usubjid, subjects["RFSTDTC_DATE"]).astype("datetime64[s]")

    # Day 0 ---------------------------------------------------------------
    @property
    def day0_treatment(self) -> str:
        day0 = self.spec.protocol.day0
        if day0 is None:
            raise NotRun("the spec defines no Day 0 treatment (protocol.day0)")
        return day0.extrt

    def product_records(self) -> pd.DataFrame:
        """EX records of the Day 0 treatment (the cell product)."""
        ex = self.require_columns("EX", "USUBJID", "EXTRT")
        return ex[ex["EXTRT"] == self.day0_treatment]

    @cached_property
    def day0(self) -> pd.Series:
        """Day 0 per USUBJID: the earliest complete start date of the cell-product EX records."""
        product = self.product_records()
        if "EXSTDTC" not in product.columns:
            raise NotRun("EX lacks EXSTDTC")
        starts = self.dates("EX", "EXSTDTC").loc[product.index, "date"]
        return starts.groupby(product["USUBJID"]).min().dropna()

    def protocol_days(self, name: str, column: str) -> pd.DataFrame:
        """Earliest and latest protocol day each value may denote (NA without a Day 0)."""
        frame = self.require_columns(name, "USUBJID", column)
        parsed = self.dates(name, column)
        day0 = looked_up(frame["USUBJID"], self.day0).astype("datetime64[s]")
        return pd.DataFrame(
            {
                "low": compute_protocol_day(parsed["earliest"], day0),
                "high": compute_protocol_day(parsed["latest"], day0),
                "has_day0": day0.notna(),
            },
            index=frame.index,
        )


def looked_up(keys: pd.Series, table: pd.Series) -> pd.Series:
    """`table` (unique index) taken at each of `keys`, missing where it has no such key; on the
    index of `keys`.  Series.map would do, but fails on an empty table of dates (pandas 3)."""
    return pd.Series(table.reindex(keys.to_numpy()).to_numpy(), index=keys.index, name=table.name)
