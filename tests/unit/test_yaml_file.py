"""YAML files read with libyaml give what the pure-Python parser gives: the same data, the same
line marks, and, for a file that is not YAML, the pure-Python parser's own words."""

from __future__ import annotations

import pytest
import yaml

from trialguard import yamlfile
from trialguard.errors import SpecError
from trialguard.spec.paths import bundled_spec_paths
from trialguard.yamlfile import read_yaml


@pytest.mark.parametrize("path", bundled_spec_paths(), ids=lambda p: p.name)
def test_a_bundled_spec_reads_as_the_pure_python_parser_reads_it(path):
    data, node = read_yaml(path, "spec")
    text = path.read_text(encoding="utf-8-sig")
    assert data == yaml.safe_load(text)
    python_node = yaml.compose(text, Loader=yaml.SafeLoader)
    assert [m.start_mark.line for m in _mappings(node)] == [
        m.start_mark.line for m in _mappings(python_node)
    ]


def _mappings(node: yaml.Node) -> list[yaml.Node]:
    found, pending = [], [node]
    while pending:
        current = pending.pop()
        if isinstance(current, yaml.MappingNode):
            found.append(current)
            pending += [value for _, value in current.value]
        elif isinstance(current, yaml.SequenceNode):
            pending += current.value
    return found


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("id: a\nrules:\n\t- b\n", "line 3, column 1: found character '\\t' that cannot start"),
        ("id: &a x\nrules: *b\n", "line 2, column 8: found undefined alias 'b'"),
        ("id: [unclosed", "line 1, column 14: expected ',' or ']', but got '<stream end>'"),
    ],
)
def test_a_file_that_is_not_yaml_is_named_in_the_pure_python_parser_words(tmp_path, text, words):
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError, match="not valid YAML") as raised:
        read_yaml(path, "spec")
    assert words in str(raised.value)


def test_the_fast_parser_is_libyaml_where_pyyaml_has_it():
    expected = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    assert yamlfile.FAST_LOADER is expected


def test_an_empty_file_is_no_data(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("# nothing yet\n", encoding="utf-8")
    assert read_yaml(path, "spec") == (None, None)
