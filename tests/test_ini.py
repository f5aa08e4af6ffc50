"""The INI scanner finds every setting where configparser reads it, value for value."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modernize.errors import ParseError, ProofError
from modernize.formats import ini
from modernize.model import Edit, SetValue

_LINES = st.sampled_from(
    [
        "[tox]",
        "[testenv:lint]",
        "[DEFAULT]",
        "[gh-actions] trailing]",
        "envlist = py310, py311",
        "envlist =",
        "  py310",
        "\tpy311,lint",
        "    {py312,py313}-slow",
        "",
        "   ",
        "# a comment",
        "; a comment",
        "  # an indented comment",
        "basepython=python3.10",
        "deps:",
        "key = value ; not a comment to configparser",
        "empty =   ",
        "x = 1\r",
        "Mixed_Case : Value",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_LINES, min_size=1, max_size=12), st.sampled_from(["", "\n", "\r\n"]))
def test_every_setting_is_found_with_the_value_configparser_reads(
    lines: list[str], end: str
) -> None:
    text = "\n".join(lines) + end
    try:
        document = ini.parse(text)
    except ParseError:
        return
    found = {(setting.section, setting.key): setting.value(text) for setting in document.settings}
    read = {
        (section, key): value
        for section, options in document.sections.items()
        for key, value in options.items()
    }
    assert found == read


def test_a_value_s_lines_are_its_segments() -> None:
    text = "[tox]\nenvlist =\n    py310,\n\n    lint\nother = 1\n"
    document = ini.parse(text)
    setting = document.find("tox", "ENVLIST")
    assert setting is not None
    assert setting.value(text) == "\npy310,\n\nlint"
    assert [text[start:end] for start, end in setting.items(text)] == ["py310", "lint"]
    start = text.index("py310")
    path, source = document.leaf_source(("tox", "envlist"), start, start + 5)
    assert path == ("tox", "envlist") and source.value == "\npy310,\n\nlint"
    with pytest.raises(ProofError):
        document.leaf_source(("tox", "envlist"), 0, 3)  # the section header is no value


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("envlist = py310\n", 1),
        ("[tox]\nenvlist = py310\nnot a setting\n", 3),
        ("[tox]\n[tox]\n", 2),
        ("[tox]\nenvlist = a\nenvlist = b\n", 3),
        ("[tox\nenvlist = a\n", 1),
    ],
)
def test_what_configparser_rejects_is_an_error_at_its_line(text: str, line: int) -> None:
    with pytest.raises(ParseError) as raised:
        ini.parse(text)
    assert raised.value.line == line


def test_the_proof_sees_a_change_outside_the_declared_setting() -> None:
    from modernize.engine.proof import differences, expected_tree

    text = "[tox]\nenvlist = py310\n[testenv]\nbasepython = python3.10\n"
    document = ini.parse(text)
    start = text.index("py310")
    edit = Edit(start, start + 5, "py312", declares=(SetValue(("tox", "envlist"), "py312"),))
    expected = expected_tree(document, [edit])
    honest = ini.parse(text.replace("py310", "py312"))
    assert differences(expected, honest.tree()) == []
    sneaky = ini.parse(text.replace("py310", "py312").replace("python3.10", "python3.12"))
    assert differences(expected, sneaky.tree()) == [("testenv", "basepython")]


def test_a_key_set_twice_is_an_error_at_its_line_and_nothing_is_written(tmp_path) -> None:
    from tests.helpers import run_cli

    text = "[tox]\nenvlist = py310, py311\nEnvList = py39\n"
    (tmp_path / "tox.ini").write_text(text)
    result = run_cli(["apply", "."], tmp_path)
    assert result.exit_code == 2
    assert result.errors == [
        "tox.ini:3: error: invalid INI: the key 'EnvList' of [tox] is set twice"
    ]
    assert (tmp_path / "tox.ini").read_text() == text


def test_the_parser_finds_the_converters_the_standard_one_finds() -> None:
    # ``_Parser.__dir__`` lists only what the converter mapping looks for.
    import configparser

    from modernize.formats.ini import _GETTERS, _Parser

    stock = configparser.RawConfigParser()
    found = sorted(name for name in dir(stock) if name.startswith("get") and name != "get")
    assert tuple(found) == _GETTERS
    assert dict(_Parser()._converters) == dict(stock._converters)
