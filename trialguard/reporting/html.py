"""The HTML report: one self-contained file rendered from Jinja2 templates, CSS and JS inlined."""

from __future__ import annotations

from importlib.resources import files

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from trialguard.findings import Report, Severity
from trialguard.reporting.json import build_json


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("trialguard.reporting", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
    )


def _static(name: str) -> str:
    return (files("trialguard.reporting") / "static" / name).read_text(encoding="utf-8")


def render_html(report: Report, fail_on: Severity | None) -> str:
    accepted, why = report.verdict(fail_on)
    data = build_json(report)
    template = _environment().get_template("report.html.j2")
    return template.render(
        report=data,
        accepted=accepted,
        verdict_reason=why,
        gated=fail_on is not None,
        status_counts=report.status_counts(),
        domains=sorted({f["domain"] for f in data["findings"] if f["domain"]}),
        css=_static("report.css"),
        js=_static("report.js"),
    )
