"""Remove the obsolete top-level ``version:`` key from compose files.

What: deletes the line that holds the top-level ``version`` key of a compose file, inline comment
included. Comments around it, a leading ``---``, the BOM, CRLF newlines and a missing final
newline all stay as they were; so do blank lines, but for those right after a key that opens the
file (it does not start with a blank line) or that had a blank line on each side (one stays).

Why: the Compose Specification has no file version; Docker Compose V2 ignores the key and warns
on every command that it is obsolete.

Example::

    version: "3.8"   # compose file format      services:
    services:                              ->     web:
      web:                                          image: nginx:1.27
        image: nginx:1.27

Refuses (leaves the key and reports it): a ``version`` key inside a flow-style top-level mapping
(``{version: "3", services: …}``), a file whose only content is the key (an empty compose file
is not valid either), a ``version`` value carrying an anchor, and files of several YAML
documents. Nested ``version`` keys are data, not the file-format key, and are never touched.
"""

from __future__ import annotations

from collections.abc import Iterator

from modernize.authoring import Context, Document, Edit, Notice, RemoveKey, line_removals, yamldoc
from modernize.lazy import lazy_pattern
from modernize.rules.textcheck import yaml_escapes

ID = "compose-version-key"
TITLE = "Remove the obsolete top-level `version:` key from compose files"
KINDS = ("compose",)
CODE = "M002"
#: What a pending change is, as ``verify`` reports it.
FINDING = "obsolete top-level `version` key"


def _refusal(
    document: Document, root: yamldoc.Node, key: yamldoc.Node, value: yamldoc.Node
) -> str | None:
    """Why the key's line cannot simply be deleted, or None when it can."""
    text = document.text
    key_start = key.start_mark.index
    if len(document.yaml.roots) > 1:
        return "the file holds several YAML documents"
    if getattr(root, "flow_style", False):
        return "the top-level `version` key is inside a flow mapping"
    # Before the key on its line: nothing, or the ``?`` of an explicit key (``? version`` and
    # ``: "3.8"`` on the next line), whose lines go together.
    if text[document.lines.line_start(key_start) : key_start].strip() not in ("", "?"):
        return "the top-level `version` key shares its line with other content"
    if len(root.value) == 1:
        return "the `version` key is the file's only content"
    if text[value.start_mark.index : value.start_mark.index + 1] == "&":
        return "the `version` value carries an anchor other keys may use"
    return None


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    text = document.text
    lines = document.lines
    for number, root in enumerate(document.yaml.roots):
        key = yamldoc.key_node(root, "version")
        value = yamldoc.get(root, "version")
        if key is None or value is None:
            continue
        key_start = key.start_mark.index
        refusal = _refusal(document, root, key, value)
        if refusal is not None:
            yield Notice(key_start, f"{refusal}; `version` not removed: delete it by hand")
            continue
        # A block scalar's end mark includes the blank lines after it: stop at its last text.
        value_end = value.end_mark.index
        while value_end > key_start and text[value_end - 1] in " \t\r\n":
            value_end -= 1
        line_span = (lines.line_start(key_start), lines.line_end(max(value_end - 1, key_start)))
        line_span = (line_span[0], _past_blank_lines(text, *line_span))
        for removal_start, removal_end in line_removals(text, [line_span]):
            yield Edit(removal_start, removal_end, "", declares=(RemoveKey((number, "version")),))


def _past_blank_lines(text: str, start: int, end: int) -> int:
    """``end``, or past the blank lines after it when the removed lines open the file (after a
    BOM or a ``---`` line) or follow a blank line: the file does not start with a blank line,
    and one blank line stays where the key had one on each side. Blank lines go only while
    other content follows them."""
    before = text[:start].lstrip("\ufeff")
    opens = before.strip() in ("", "---")
    if not opens and _BLANK_LAST_LINE.search(before) is None:
        return end
    position = end
    while position < len(text):
        newline = text.find("\n", position)
        if newline < 0 or text[position:newline].strip():
            break
        position = newline + 1
    return position if text[position:].strip() else end


#: Text whose last line is blank (it ends with a newline, and so does the line before).
_BLANK_LAST_LINE = lazy_pattern(r"(?:\A|\n)[ \t]*\r?\n\Z")


def touches(text: str, context: Context) -> bool:
    return "version" in text or yaml_escapes(text)
