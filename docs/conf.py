"""Sphinx configuration of trialguard's documentation: Markdown pages (MyST), the furo theme,
and the Python API from the package's docstrings.  Everything builds offline."""

import dataclasses
import sys
from pathlib import Path

# autodoc imports the package from this source tree, installed or not
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generated_pages import write_generated_pages  # noqa: E402

project = "trialguard"
author = "trialguard contributors"
copyright = "trialguard contributors"

extensions = ["myst_parser", "sphinx.ext.autodoc"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]

# `[text](page.md#heading)` links resolve to the headings of levels 1 to 3
myst_heading_anchors = 3

# Text stays as typed: `--` in options (`--spec`) and SDTM names (`--DTC`, `SUPP--`) is no dash,
# and the quotes of a finding's message are those trialguard prints.
smartquotes = False

html_theme = "furo"
html_title = "trialguard"

# Docstrings write `name` for code, as Markdown does.
default_role = "literal"
autodoc_member_order = "bysource"
autodoc_typehints = "description"
# A class is documented by its docstring and its members, not by its constructor's arguments:
# the report and the findings are made by trialguard, never by the user.
autodoc_class_signature = "separated"


def drop_generated_dataclass_docstring(app, what, name, obj, options, lines):
    """A dataclass without a docstring of its own gets its constructor signature as one."""
    if what == "class" and dataclasses.is_dataclass(obj) and lines:
        if lines[0].startswith(f"{obj.__name__}("):
            lines.clear()


def skip_constructors(app, what, name, obj, skip, options):
    """No class of the API is built by its user: its constructor is not documented."""
    return True if name in ("__init__", "__new__") else None


def setup(app):
    app.connect("builder-inited", lambda app: write_generated_pages())
    app.connect("autodoc-process-docstring", drop_generated_dataclass_docstring)
    app.connect("autodoc-skip-member", skip_constructors)
