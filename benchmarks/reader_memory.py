"""Peak memory of reading one dataset file, as a multiple of the file's size, per input format.

    python benchmarks/reader_memory.py [--records 640000] [--folder DIR]

Writes the same SDTM data in every format trialguard reads (XPT v5 and v8, CSV, SAS7BDAT,
Dataset-JSON .json, .ndjson and .dsjc) for three shapes of dataset:
- LB, a Findings dataset of --records records (benchmarks/large_lab.py: 40 a subject);
- AE, narrower, of --records records of short, repeated text (benchmarks/large_study.py);
- a wide dataset XW of 500 variables (half text, half numbers) and 2,000 records.
Then, one fresh process at a time, reads each file with `read_study` (the entry every run
uses) and prints, per format and shape: the file's size, the peak resident memory of the read
above the process's memory before it (VmHWM against VmRSS), their ratio, the memory still held
after the read (VmRSS: memory freed but kept by the allocator counts), the size of the frames
read (pandas' deep memory usage, which counts a text value shared by many records once per
record, so it can exceed the memory the frames take) and the read's time.
The process first imports trialguard and reads a one-record DM in the same format, so imports
and first-use set-up are not counted.  LB and XW are read with that DM beside them (a transfer
needs one of DM, EX, AE or DL).  The last lines give the largest ratio per format, and over all:
what `--max-file-size` should tell the user reading costs.  Files are written under --folder
(kept), or a temporary folder removed at the end.  Same arguments, same data.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

HERE = Path(__file__).resolve().parent
for folder in (HERE, HERE.parent / "sample_data", HERE.parent / "tests" / "corpus"):
    sys.path.insert(0, str(folder))

from generate import write_csv  # noqa: E402
from large_lab import make_lb  # noqa: E402
from large_study import STUDYID, make_ae, make_dm, subjects, write_xpt  # noqa: E402
from sas7bdat_writer import write_sas7bdat  # noqa: E402

WIDE_VARIABLES, WIDE_RECORDS = 500, 2_000
WIDE_TEXT = np.array(["Y", "N", "NORMAL", "ABNORMAL", "NOT DONE", "UNKNOWN", ""], dtype=object)
# The measuring process: argv is the warm-up folder, then the folder to read.
MEASURE = """
import gc, json, re, sys, time
from pathlib import Path
from trialguard.readers.study import read_study

def status(key):
    text = Path("/proc/self/status").read_text()
    return int(re.search(rf"{key}:\\s+(\\d+) kB", text).group(1)) * 1024

read_study([Path(sys.argv[1])])
gc.collect()
Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) starts again from here
base = status("VmRSS")
started = time.perf_counter()
study = read_study([Path(sys.argv[2])])
seconds = time.perf_counter() - started
peak, held = status("VmHWM"), status("VmRSS")
frames = sum(int(d.frame.memory_usage(deep=True).sum()) for d in study.datasets.values())
records = max(d.records for d in study.datasets.values())
why = [u.reason for u in study.unreadable]
print(json.dumps(dict(base=base, peak=peak - base, held=held - base, frames=frames,
                      seconds=seconds, records=records, unreadable=why)))
"""


def make_wide(rng: np.random.Generator) -> pd.DataFrame:
    """WIDE_RECORDS records of WIDE_VARIABLES variables: identifiers, then text and numbers."""
    people = subjects(WIDE_RECORDS // 4, rng)
    columns = {
        "STUDYID": STUDYID,
        "DOMAIN": "XW",
        "USUBJID": np.repeat(people["USUBJID"].to_numpy(), 4),
        "XWSEQ": np.tile(np.arange(1.0, 5.0), len(people)),
    }
    for k in range(WIDE_VARIABLES - len(columns)):
        name = f"XW{k:03d}"
        if k % 2:
            columns[name] = np.round(rng.normal(100.0, 15.0, WIDE_RECORDS), 2)
        else:
            columns[name] = WIDE_TEXT[rng.integers(0, len(WIDE_TEXT), WIDE_RECORDS)]
    return pd.DataFrame(columns)


def shapes(records: int) -> dict[str, tuple[str, pd.DataFrame]]:
    """Shape label -> (dataset name, frame)."""
    rng = np.random.default_rng(329)
    lb = make_lb(subjects(max(1, records // 40), rng), rng)
    ae = make_ae(subjects(max(1, records // 20), rng), rng)
    return {"LB": ("lb", lb), "AE": ("ae", ae), "wide": ("xw", make_wide(rng))}


def one_record_dm() -> pd.DataFrame:
    rng = np.random.default_rng(329)
    return make_dm(subjects(1, rng), rng)


def write_xpt8(frame: pd.DataFrame, path: Path, name: str) -> None:
    pyreadstat.write_xport(frame, str(path), table_name=name.upper(), file_format_version=8)


def write_sas(frame: pd.DataFrame, path: Path, name: str) -> None:
    write_sas7bdat(frame, path, name.upper(), compressed=False)


def json_metadata(frame: pd.DataFrame, name: str) -> dict:
    """Dataset-JSON v1.1 metadata of `frame` (whole-valued numbers are integers)."""
    return {
        "datasetJSONCreationDateTime": "2025-12-01T00:00:00",
        "datasetJSONVersion": "1.1.0",
        "itemGroupOID": f"IG.{name.upper()}",
        "records": len(frame),
        "name": name.upper(),
        "label": name.upper(),
        "columns": [json_column(frame[c]) for c in frame.columns],
    }


def json_column(column: pd.Series) -> dict:
    described = {"itemOID": f"IT.{column.name}", "name": column.name, "label": column.name}
    if not pd.api.types.is_numeric_dtype(column):
        length = max([len(str(v).encode()) for v in column.unique()] + [1])
        return described | {"dataType": "string", "length": length}
    return described | {"dataType": "integer" if is_whole(column) else "double"}


def is_whole(column: pd.Series) -> bool:
    return bool(column.notna().all() and (column == column.round()).all())


def json_rows(frame: pd.DataFrame) -> list[tuple]:
    """The rows as JSON values: integers for whole-valued columns, null for NaN."""
    values = []
    for name in frame.columns:
        column = frame[name]
        if not pd.api.types.is_numeric_dtype(column):
            values.append(column.tolist())
        elif is_whole(column):
            values.append(column.astype("int64").tolist())
        else:
            values.append([None if v != v else v for v in column.tolist()])
    return list(zip(*values, strict=True))


def ndjson_text(frame: pd.DataFrame, name: str) -> str:
    lines = [json.dumps(json_metadata(frame, name))]
    lines += [json.dumps(row) for row in json_rows(frame)]
    return "\n".join(lines) + "\n"


def write_json(frame: pd.DataFrame, path: Path, name: str) -> None:
    document = json_metadata(frame, name) | {"rows": json_rows(frame)}
    path.write_text(json.dumps(document), encoding="utf-8")


def write_ndjson(frame: pd.DataFrame, path: Path, name: str) -> None:
    path.write_text(ndjson_text(frame, name), encoding="utf-8")


def write_dsjc(frame: pd.DataFrame, path: Path, name: str) -> None:
    path.write_bytes(zlib.compress(ndjson_text(frame, name).encode()))


# Format label -> (file extension, writer of (frame, path, dataset name)).
FORMATS: dict[str, tuple[str, Callable[[pd.DataFrame, Path, str], None]]] = {
    "XPT v5": ("xpt", write_xpt),
    "XPT v8": ("xpt", write_xpt8),
    "CSV": ("csv", lambda frame, path, _: write_csv(frame, path)),
    "SAS7BDAT": ("sas7bdat", write_sas),
    "Dataset-JSON .json": ("json", write_json),
    "Dataset-JSON .ndjson": ("ndjson", write_ndjson),
    "Dataset-JSON .dsjc": ("dsjc", write_dsjc),
}


def folder_of(root: Path, shape: str, fmt: str) -> Path:
    return root / shape / fmt.replace(" ", "_").replace(".", "")


def write_all(root: Path, records: int) -> list[tuple[str, str, Path]]:
    """Every shape in every format, each in a folder of its own; (shape, format, file)."""
    dm, written = one_record_dm(), []
    for fmt, (extension, write) in FORMATS.items():
        warm = folder_of(root, "warm-up", fmt)
        warm.mkdir(parents=True, exist_ok=True)
        write(dm, warm / f"dm.{extension}", "dm")
    for shape, (name, frame) in shapes(records).items():
        for fmt, (extension, write) in FORMATS.items():
            folder = folder_of(root, shape, fmt)
            folder.mkdir(parents=True, exist_ok=True)
            write(frame, folder / f"{name}.{extension}", name)
            if name not in ("dm", "ae"):  # a transfer holds one of DM, EX, AE or DL
                write(dm, folder / f"dm.{extension}", "dm")
            written.append((shape, fmt, folder / f"{name}.{extension}"))
        print(f"wrote {shape}: {len(frame):,} records x {frame.shape[1]} variables", flush=True)
    return written


def measure(root: Path, fmt: str, path: Path) -> dict:
    """One read of the folder holding `path`, in a process of its own."""
    warm = folder_of(root, "warm-up", fmt)
    command = [sys.executable, "-c", MEASURE, str(warm), str(path.parent)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=HERE.parent)
    if done.returncode != 0:
        raise SystemExit(f"reading {path} failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result["unreadable"]:
        raise SystemExit(f"{path} was not read: {result['unreadable']}")
    size = path.stat().st_size
    return result | {"size": size, "ratio": result["peak"] / size, "data": data_size(path)}


def data_size(path: Path) -> int:
    """The bytes the reader parses: a .dsjc file's decompressed size, any other file's size."""
    if path.suffix != ".dsjc":
        return path.stat().st_size
    return len(zlib.decompress(path.read_bytes()))


HEADER = (
    f"{'shape':<6}{'format':<22}{'records':>10}{'file MiB':>10}{'peak MiB':>10}"
    f"{'ratio':>8}{'held MiB':>10}{'frames MiB':>12}{'read s':>8}"
)


def row(shape: str, fmt: str, result: dict) -> str:
    mib = {key: result[key] / 2**20 for key in ("size", "peak", "held", "frames")}
    return (
        f"{shape:<6}{fmt:<22}{result['records']:>10,}{mib['size']:>10,.1f}{mib['peak']:>10,.1f}"
        f"{result['ratio']:>8.1f}{mib['held']:>10,.1f}{mib['frames']:>12,.1f}"
        f"{result['seconds']:>8.1f}"
    )


def report(root: Path, written: list[tuple[str, str, Path]]) -> None:
    print(f"\n{HEADER}")
    worst: dict[str, float] = {}
    parsed: dict[str, float] = {}  # against the decompressed data
    for shape, fmt, path in written:
        result = measure(root, fmt, path)
        worst[fmt] = max(worst.get(fmt, 0.0), result["ratio"])
        parsed[fmt] = max(parsed.get(fmt, 0.0), result["peak"] / result["data"])
        print(row(shape, fmt, result), flush=True)
    print("\nlargest ratio per format (peak memory above the start / file size):")
    for fmt, ratio in worst.items():
        inflated = f"  ({parsed[fmt]:.1f} x the decompressed size)" if parsed[fmt] != ratio else ""
        print(f"  {fmt:<22}{ratio:6.1f} x{inflated}")
    print(f"largest ratio over all formats and shapes: {max(worst.values()):.1f} x the file's size")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=640_000, help="records of LB and of AE")
    parser.add_argument("--folder", type=Path, help="write the files here, and keep them")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="reader-memory-") as tmp:
        root = options.folder or Path(tmp)
        report(root, write_all(root, options.records))


if __name__ == "__main__":
    main()
