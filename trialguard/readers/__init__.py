"""Readers: one module per format, all returning a `Dataset`; `read_study` reads a transfer."""

from trialguard.readers.dataset import Dataset, dataset_name, file_format
from trialguard.readers.study import Study, read_study

__all__ = ["Dataset", "Study", "dataset_name", "file_format", "read_study"]
