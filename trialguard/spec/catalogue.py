"""The bundled specs as a table: id, version, title and what each extends."""

from __future__ import annotations

from trialguard.spec.models import SpecFile
from trialguard.spec.paths import bundled_spec_paths
from trialguard.yamlfile import read_yaml


def bundled_specs() -> list[SpecFile]:
    """Every bundled spec file's header (its rules are not resolved here)."""
    headers = []
    for path in bundled_spec_paths():
        data, _ = read_yaml(path, "spec")
        headers.append(SpecFile.model_validate(data))
    return headers


def bundled_spec_table() -> str:
    rows = [("id", "version", "extends", "title")]
    rows += [(s.id, s.version, ", ".join(s.extends) or "-", s.title) for s in bundled_specs()]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:<{widths[2]}}  {row[3]}"
        for row in rows
    ]
    note = "Every spec also takes the rules of `transfer` (manifest, previous transfer, waivers)."
    return "\n".join(lines + ["", note, "Use one with --spec ID; `trialguard rules --spec ID`."])
