"""The JSON-with-comments reader: every string value found where json reads it, comments and
trailing commas kept out of the data."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modernize.errors import ParseError
from modernize.formats import jsonc

_KEYS = st.sampled_from(["image", "a", "a,b", 'q"uote', "features", "//not", "/*x*/"])
_VALUES = st.recursive(
    st.one_of(
        st.sampled_from(["3.10", "x//y", "/* no */", "a\\b", 'say "hi"', "é"]),
        st.integers(-5, 5),
        st.booleans(),
        st.none(),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(_KEYS, children, max_size=3)
    ),
    max_leaves=8,
)


def _written(value: Any, draw_comment: bool) -> str:
    comment = " // note\n" if draw_comment else " /* c */ "
    if isinstance(value, dict):
        items = [
            f"{json.dumps(k)}:{comment}{_written(v, not draw_comment)}" for k, v in value.items()
        ]
        return "{" + ",".join(items) + ("," if items else "") + "}"
    if isinstance(value, list):
        items = [_written(v, not draw_comment) for v in value]
        return "[" + ",\n".join(items) + (",\n" if items else "") + "]"
    return json.dumps(value, ensure_ascii=False)


def _json_strings(value: Any, path: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], str]:
    if isinstance(value, str):
        return {path: value}
    pairs = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    found: dict[tuple[Any, ...], str] = {}
    for key, child in pairs:
        found.update(_json_strings(child, (*path, key)))
    return found


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_KEYS, _VALUES, max_size=4), st.booleans())
def test_strings_are_found_at_their_paths_with_their_values(
    data: dict[str, Any], first: bool
) -> None:
    text = "// a devcontainer\n" + _written(data, first) + "\n"
    document = jsonc.parse(text)
    assert document.data_tree == data
    found = {path: string.value for path, string in document.strings.items()}
    assert found == _json_strings(data)
    for string in document.strings.values():
        if "\\" not in text[string.start : string.end] and '"' not in string.value:
            assert text[string.start : string.end] == string.value


@pytest.mark.parametrize(("text", "line"), [('{\n  "a": [1,\n', None), ("{ /* open\n", 1)])
def test_what_does_not_read_is_an_error(text: str, line: int | None) -> None:
    with pytest.raises(ParseError) as raised:
        jsonc.parse(text)
    assert line is None or raised.value.line == line
