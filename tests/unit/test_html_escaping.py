from conftest import make_ae, make_dm, subject

from trialguard.readers.study import Study
from trialguard.reporting.html import render_html
from trialguard.runner import run_validation
from trialguard.spec.loader import load_spec

PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{ 7*7 }}"]


def test_values_from_the_data_are_shown_as_text_never_as_markup():
    dm = make_dm({"USUBJID": PAYLOADS[1], "SEX": PAYLOADS[0]})
    ae = make_ae({"USUBJID": subject(1), "DOMAIN": PAYLOADS[2], "AESTDTC": PAYLOADS[0]})
    html = render_html(run_validation(Study({"DM": dm, "AE": ae}), load_spec("sdtm")), None)
    assert "<script>alert" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert "{{ 7*7 }}" in html  # template syntax in data is not evaluated
    assert html.count("<script>") == 1  # the report's own script only
