"""Write SAS7BDAT files (plain or RLE-compressed) through the ReadStat library inside pyreadstat.

pyreadstat reads SAS7BDAT but exposes no writer; the ReadStat C library it is
built from has one, including SAS's row compression (RLE, "SASYZCRL"), and its
symbols are exported by pyreadstat's extension module.  This lets the corpus
make compressed files by code instead of shipping binaries of unknown origin.
"""

from __future__ import annotations

import ctypes
import glob
import math
import os
from pathlib import Path

import pandas as pd
import pyreadstat

TYPE_STRING, TYPE_DOUBLE = 0, 5
COMPRESS_NONE, COMPRESS_ROWS = 0, 1
_WRITER_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_ssize_t, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p
)


def _library() -> ctypes.CDLL:
    folder = os.path.dirname(pyreadstat.__file__)
    path = sorted(glob.glob(os.path.join(folder, "_readstat_writer*.so")))[0]
    lib = ctypes.CDLL(path)
    lib.readstat_writer_init.restype = ctypes.c_void_p
    lib.readstat_add_variable.restype = ctypes.c_void_p
    lib.readstat_add_variable.argtypes = [
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_size_t,
    ]
    lib.readstat_variable_set_label.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    lib.readstat_set_data_writer.argtypes = [ctypes.c_void_p, _WRITER_CALLBACK]
    lib.readstat_writer_set_compression.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.readstat_writer_set_table_name.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    lib.readstat_begin_writing_sas7bdat.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_long]
    lib.readstat_begin_row.argtypes = [ctypes.c_void_p]
    lib.readstat_end_row.argtypes = [ctypes.c_void_p]
    lib.readstat_insert_double_value.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_double]
    lib.readstat_insert_string_value.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_char_p]
    lib.readstat_insert_missing_value.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    lib.readstat_end_writing.argtypes = [ctypes.c_void_p]
    lib.readstat_writer_free.argtypes = [ctypes.c_void_p]
    return lib


def write_sas7bdat(frame: pd.DataFrame, path: Path, table: str, compressed: bool = True) -> None:
    """Text columns become character variables, the others numeric (NaN is SAS missing)."""
    lib = _library()
    chunks: list[bytes] = []

    @_WRITER_CALLBACK
    def collect(data, length, _ctx):
        chunks.append(ctypes.string_at(data, length))
        return length

    writer = lib.readstat_writer_init()
    try:
        _check(lib.readstat_set_data_writer(writer, collect), "set writer")
        _check(lib.readstat_writer_set_table_name(writer, table.encode()), "table name")
        mode = COMPRESS_ROWS if compressed else COMPRESS_NONE
        _check(lib.readstat_writer_set_compression(writer, mode), "compression")
        variables = [_add_variable(lib, writer, frame[c]) for c in frame.columns]
        is_text = [not pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
        _check(lib.readstat_begin_writing_sas7bdat(writer, None, len(frame)), "begin")
        for row in frame.itertuples(index=False):
            _check(lib.readstat_begin_row(writer), "row")
            for variable, value, text in zip(variables, row, is_text, strict=True):
                _insert(lib, writer, variable, value, text)
            _check(lib.readstat_end_row(writer), "end row")
        _check(lib.readstat_end_writing(writer), "end")
    finally:
        lib.readstat_writer_free(writer)
    Path(path).write_bytes(b"".join(chunks))


def _add_variable(lib, writer, column: pd.Series):
    if not pd.api.types.is_numeric_dtype(column):
        width = max([len(str(v).encode()) for v in column.dropna()] + [1])
        return lib.readstat_add_variable(writer, column.name.encode(), TYPE_STRING, width)
    return lib.readstat_add_variable(writer, column.name.encode(), TYPE_DOUBLE, 8)


def _insert(lib, writer, variable, value, is_text: bool) -> None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        _check(lib.readstat_insert_missing_value(writer, variable), "missing")
    elif is_text:
        _check(lib.readstat_insert_string_value(writer, variable, str(value).encode()), "text")
    else:
        _check(lib.readstat_insert_double_value(writer, variable, float(value)), "number")


def _check(code: int, step: str) -> None:
    if code != 0:
        raise RuntimeError(f"ReadStat could not write the SAS7BDAT file ({step}: error {code})")
