"""Every value from the data or the spec reaches the HTML as text, never as markup or template."""

import json
import re

from conftest import PAYLOADS, hostile_report

from trialguard.reporting.html import render_html


def test_no_payload_is_rendered_as_markup(tmp_path):
    html = render_html(hostile_report(tmp_path))
    assert "<script>alert" not in html and "<img" not in html and "<b>bold" not in html
    assert html.count("<script") == 2  # the data block and the report's own script
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # spec version, rule description
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html  # spec title, file path
    assert "{{ 7*7 }}" in html and ">49<" not in html  # template syntax is not evaluated


def test_the_data_block_cannot_be_closed_from_inside(tmp_path):
    html = render_html(hostile_report(tmp_path))
    block = re.search(r'<script type="application/json" id="tg-data">(.*?)</script>', html, re.S)
    text = block.group(1)
    assert "<" not in text and ">" not in text and "&" not in text
    data = json.loads(text)
    values = json.dumps(data, ensure_ascii=False)
    assert all(payload.replace('"', '\\"') in values for payload in PAYLOADS)
