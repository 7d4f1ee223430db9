"""Differential fuzz tests of the XPT reader: a mutated file is read as pyreadstat reads it, or
refused with a reason.

Seeds are the RESOLUTION sample's XPT files, small hand-built files of the shapes the samples
lack (rows under 8 bytes, short numbers, 136-byte NAMESTR records, XPORT v8) and a few small
real files under ../shared/external (skipped when that folder is absent).  Each example cuts,
overwrites, inserts, repeats or deletes bytes, or edits what the structure means: a NAMESTR
field (type, length, position, name, label, format), a variable's stored width, a header
count, values in the observations, the number of observations.  `xpt_compare` reads the result
with both readers; the differences trialguard makes on purpose count as agreement.  Cases the
fuzzing found follow as plain tests: a v8 file whose declared observations end in blank ones,
a variable length below 1, observations all blank on pyreadstat's path (expected to fail until
trialguard/readers/xpt.py keeps text columns text when it reads metadata only).

Then the XPT cases of issue 32 that tests/unit/test_xpt_hostile.py does not hold: numbers no
integer type holds and infinite ones, read and judged by the rules without a broken check;
9,999 variables read within memory; 9,999 wide text variables and no record read in seconds;
a million 1-byte observations read within memory.
"""

from __future__ import annotations

import shutil
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from xpt_compare import (
    EDITS,
    EXTERNAL,
    NUMBERS,
    SAMPLES,
    SPECIAL_BYTES,
    XptSeed,
    build_xpt,
    built_seeds,
    compare_readings,
    ibm,
    mutate,
)

import trialguard
from trialguard.errors import InputError
from trialguard.findings import Status
from trialguard.readers.xpt import read_xpt

pytestmark = pytest.mark.slow

CLEAN = SAMPLES / "resolution" / "clean"
SEEDS = {p.name: XptSeed.of(p.read_bytes()) for p in sorted(CLEAN.glob("*.xpt"))}
SEEDS |= {name: XptSeed.of(data) for name, data in built_seeds().items()}
REAL_FILES = [
    "cdiscpilot01/ta.xpt",
    "cdiscpilot01/te.xpt",
    "cdiscpilot01/ti.xpt",
    "cdiscpilot01/ts.xpt",
    "cdiscpilot01/tv.xpt",
    "real/sdtm-msg-v2/dm.xpt",
    "real/sdtm-msg-v2/suppdm.xpt",
    "real/pharmaversesdtm-full/suppds.xpt",
    "core-open-rules/cases-sdtmig/CORE-000019/negative-01/data/ae.xpt",  # XPORT v8
    "core-open-rules/cases-sdtmig/CORE-000890/negative-01/data/lb.xpt",  # XPORT v8
]
REAL_SEEDS = {
    name: XptSeed.of((EXTERNAL / name).read_bytes())
    for name in REAL_FILES
    if (EXTERNAL / name).is_file()
}
FUZZ = settings(
    max_examples=150,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def edits():
    """A list of edits (kind, position, size, payload) for `xpt_compare.mutate`."""
    payload = st.one_of(
        st.binary(min_size=1, max_size=12), st.sampled_from(SPECIAL_BYTES + NUMBERS)
    )
    edit = st.tuples(
        st.sampled_from(sorted(EDITS)),
        st.integers(min_value=0, max_value=2**20),
        st.integers(min_value=0, max_value=63),
        payload,
    )
    return st.lists(edit, min_size=1, max_size=3)


def assert_read_as_pyreadstat_reads(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ae.xpt"
        path.write_bytes(data)
        outcome = compare_readings(path)
    event(f"{outcome.kind}: {outcome.detail}" if outcome.kind == "refused" else outcome.kind)
    assert outcome.acceptable, f"{outcome.kind}: {outcome.detail}"


@FUZZ
@given(st.sampled_from(sorted(SEEDS)), edits())
def test_a_mutated_sample_is_read_as_pyreadstat_reads_it_or_refused(seed, changes):
    assert_read_as_pyreadstat_reads(mutate(SEEDS[seed], changes))


@pytest.mark.skipif(not REAL_SEEDS, reason="../shared/external is not there")
@settings(FUZZ, max_examples=100)
@given(st.sampled_from(sorted(REAL_SEEDS) or ["none"]), edits())
def test_a_mutated_real_file_is_read_as_pyreadstat_reads_it_or_refused(seed, changes):
    assert_read_as_pyreadstat_reads(mutate(REAL_SEEDS[seed], changes))


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_every_seed_is_read_as_pyreadstat_reads_it(tmp_path, name):
    path = tmp_path / "ae.xpt"
    path.write_bytes(SEEDS[name].data)
    outcome = compare_readings(path)
    assert outcome.kind == "agree", outcome


def test_v8_observations_ending_in_blank_ones_are_all_read_when_their_count_is_declared(
    tmp_path,
):
    # ReadStat reads every observation an OBSV8 header declares, the all-blank ones too
    rows = b"HEADACHECEPHALGI" + b"COUGH   COUGH   " + b" " * 16
    text = [(b"AETERM", True, 8), (b"AEDECOD", True, 8)]
    path = tmp_path / "ae.xpt"
    path.write_bytes(build_xpt(text, rows, version=8, declared=3))
    assert compare_readings(path).kind == "agree"
    terms = read_xpt(path, "AE").frame["AETERM"]
    assert terms.tolist()[:2] == ["HEADACHE", "COUGH"] and terms.isna().tolist()[2]


@pytest.mark.parametrize("version", [5, 8])
def test_observations_all_blank_are_missing_text_on_pyreadstats_path_too(tmp_path, version):
    variables = [(b"AETERM", True, 8), (b"AESEQ", False, 3)]  # a 3-byte number: pyreadstat's
    path = tmp_path / "ae.xpt"
    path.write_bytes(build_xpt(variables, b" " * 11 * 3, version=version))
    assert compare_readings(path).kind == "agree"
    assert read_xpt(path, "AE").frame["AETERM"].isna().all()


@pytest.mark.parametrize("version", [5, 8])
@pytest.mark.parametrize("length", [0, -1])
def test_a_variable_length_below_1_is_refused_naming_the_variable(tmp_path, version, length):
    path = tmp_path / "ae.xpt"
    path.write_bytes(build_xpt([(b"A", True, 8), (b"B", True, length)], b"X" * 8, version))
    with pytest.raises(InputError) as refused:
        read_xpt(path, "AE")
    assert refused.value.reason.startswith(
        f"variable 2 of 2 (NAMESTR record 2, byte offset 784) has a length of {length}: "
    )


# ---------------------------------------------------------------- the cases of issue 32
INFINITE = b"\x7f" + b"\xff" * 7  # ReadStat reads this IBM bit pattern as +inf
EXTREMES = [ibm(2.0**63), ibm(2.0**64), INFINITE, b"\xff" * 8, ibm(-(2.0**63)), ibm(7e75)]


def with_values(file: Path, variable: str, values: list[bytes]) -> bytes:
    """`file`'s bytes with `variable`'s first observations holding `values` (8 bytes each)."""
    seed = XptSeed.of(file.read_bytes())
    names = [_namestr_name(seed, n) for n in range(seed.variables)]
    number = names.index(variable)
    offset = seed.data_start + sum(seed.lengths[:number])
    data = bytearray(seed.data)
    for row, value in enumerate(values):
        data[offset + row * seed.row_length : offset + row * seed.row_length + 8] = value
    return bytes(data)


def _namestr_name(seed: XptSeed, number: int) -> str:
    start = seed.namestr(number) + 8
    return seed.data[start : start + 8].rstrip().decode("ascii")


def huge_and_infinite_numbers(folder: Path) -> None:
    shutil.copytree(CLEAN, folder)
    (folder / "dm.xpt").write_bytes(with_values(CLEAN / "dm.xpt", "AGE", EXTREMES))
    (folder / "ex.xpt").write_bytes(with_values(CLEAN / "ex.xpt", "EXDOSE", EXTREMES))


def test_numbers_beyond_int64_and_infinite_ones_are_read_and_judged_by_the_rules(tmp_path):
    folder = tmp_path / "transfer"
    huge_and_infinite_numbers(folder)
    for name, variable in (("dm.xpt", "AGE"), ("ex.xpt", "EXDOSE")):
        assert compare_readings(folder / name).kind == "agree"
        values = read_xpt(folder / name, name[:2].upper()).frame[variable].to_numpy()[:6]
        assert values.tolist() == [2.0**63, 2.0**64, np.inf, -np.inf, -(2.0**63), values[5]]
    report = trialguard.validate(folder, spec="sdtm")
    broken = [(r.rule.id, r.reason) for r in report.results if r.status is Status.ERROR]
    assert not broken and not report.unreadable


@dataclass(frozen=True)
class Case:
    """A file of issue 32 built byte for byte, what reading it gives, and within what: memory
    (bytes, or a multiple of the file's size when under 1,000) or seconds."""

    id: str
    variables: list[tuple[bytes, bool, int]]
    rows: bytes
    version: int
    records: int
    first: list  # the values of the first record
    memory: float | None = None
    seconds: float | None = None

    def memory_limit(self, size: int) -> float:
        assert self.memory is not None
        return self.memory * size if self.memory < 1_000 else self.memory


NUMBERED = [(f"V{n}".encode(), False, 8) for n in range(9_999)]
NUMBERS_0_TO_9998 = b"".join(ibm(n) for n in range(9_999))
WIDE_TEXT = [(f"V{n}".encode(), True, 200) for n in range(9_999)]
MILLION = b"ABCDEFGHIJ" * 100_000
CASES = [
    # pyreadstat set aside 100,000 rows of each variable before reading one: 7.9 GB here
    Case("v8-9999-variables", NUMBERED, NUMBERS_0_TO_9998, 8, 1, list(range(9_999)), 2**30),
    # 116 s before
    Case("v5-9999-wide-text-variables-no-record", WIDE_TEXT, b"", 5, 0, [], seconds=60),
    Case("v5-a-million-1-byte-observations", [(b"C", True, 1)], MILLION, 5, 10**6, ["A"], 100),
    Case("v8-a-million-1-byte-observations", [(b"C", True, 1)], MILLION, 8, 10**6, ["A"], 100),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_an_issue_32_file_is_read_whole_within_memory_and_time(tmp_path, case):
    path = tmp_path / "xw.xpt"
    path.write_bytes(build_xpt(case.variables, case.rows, version=case.version))
    started = time.perf_counter()
    dataset, peak = read_measured(path) if case.memory else (read_xpt(path, "XW"), 0)
    seconds = time.perf_counter() - started
    assert dataset.records == case.records
    assert list(dataset.frame.columns) == [v[0].decode() for v in case.variables]
    assert dataset.frame.head(1).values.ravel().tolist() == case.first
    if case.memory:
        size = path.stat().st_size
        assert peak < case.memory_limit(size), f"{peak / 2**20:,.0f} MiB to read {size:,} bytes"
    if case.seconds:
        assert seconds < case.seconds


def read_measured(path: Path):
    """The dataset read and the most memory Python and numpy held meanwhile (bytes)."""
    tracemalloc.start()
    try:
        return read_xpt(path, "XW"), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
