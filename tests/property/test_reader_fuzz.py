"""Fuzz tests of the readers: mutated bytes of real files give a Dataset or an InputError.

Starting from a valid XPT and a valid CSV of the RESOLUTION sample, each
example cuts, overwrites, inserts or repeats bytes.  Whatever comes in, the
reader must answer within the deadline with either a dataset whose record
count another reader agrees with, or an InputError naming the file; any other
exception is a crash the user would see as a traceback.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trialguard.errors import InputError
from trialguard.readers.csv import read_csv
from trialguard.readers.xpt import read_xpt
from trialguard.readers.xpt_layout import xpt_layout

pytestmark = pytest.mark.slow

CLEAN = Path(__file__).resolve().parents[2] / "sample_data" / "resolution" / "clean"
XPT = (CLEAN / "ae.xpt").read_bytes()
CSV = (
    pd.read_sas(CLEAN / "dm.xpt", format="xport", encoding="utf-8")
    .to_csv(index=False)
    .encode("utf-8")
)
FUZZ = settings(max_examples=250, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
SPECIAL_BYTES = [b"\x00", b'"', b",", b"\n", b"\r", b"\xff", b"\xe9", b" ", b"HEADER RECORD***"]


def mutations(original: bytes):
    """A list of edits: (kind, position, payload) applied in order."""
    edit = st.tuples(
        st.sampled_from(["cut", "overwrite", "insert", "repeat", "delete"]),
        st.integers(min_value=0, max_value=len(original)),
        st.one_of(st.binary(min_size=1, max_size=12), st.sampled_from(SPECIAL_BYTES)),
    )
    return st.lists(edit, min_size=1, max_size=4)


def mutate(data: bytes, edits) -> bytes:
    for kind, at, payload in edits:
        at = min(at, len(data))
        if kind == "cut":
            data = data[:at]
        elif kind == "overwrite":
            data = data[:at] + payload + data[at + len(payload) :]
        elif kind == "insert":
            data = data[:at] + payload + data[at:]
        elif kind == "repeat":
            data = data[:at] + data[at : at + 80] + data[at:]
        else:
            data = data[:at] + data[at + len(payload) :]
    return data


def read_mutated(data: bytes, name: str, reader, check) -> None:
    """Read the mutated bytes; on success run `check(dataset, path)` while the file exists."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            dataset = reader(path, name.split(".")[0].upper())
        except InputError as error:
            assert error.path == str(path) and error.reason
            return
        check(dataset, path)


@FUZZ
@given(mutations(XPT))
def test_mutated_xpt_is_read_whole_or_refused(edits):
    def whole(dataset, path):
        assert dataset.records == xpt_layout(path).observations

    read_mutated(mutate(XPT, edits), "ae.xpt", read_xpt, whole)


@FUZZ
@given(mutations(CSV))
def test_mutated_csv_is_read_whole_or_refused(edits):
    def whole(dataset, path):
        assert list(dataset.frame.index) == list(range(1, dataset.records + 1))
        assert len(dataset.lines) == dataset.records

    read_mutated(mutate(CSV, edits), "dm.csv", read_csv, whole)
