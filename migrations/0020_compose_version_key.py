"""Remove the obsolete top-level ``version:`` key from compose files.

What: deletes the line that holds the top-level ``version`` key of a compose file, inline comment
included. Comments and blank lines around it, a leading ``---``, the BOM, CRLF newlines and a
missing final newline all stay as they were.

Why: the Compose Specification has no file version; Docker Compose V2 ignores the key and warns
on every command that it is obsolete.

Example::

    version: "3.8"   # compose file format      services:
    services:                              ->     web:
      web:                                          image: nginx:1.27
        image: nginx:1.27

Refuses: a ``version`` key that does not start its own line (a flow-style top-level mapping such
as ``{version: "3", services: …}``) is left and reported; nested ``version`` keys are data, not
the file-format key, and are never touched.
"""

from __future__ import annotations

from collections.abc import Iterator

from modernize.document import Document
from modernize.edits import line_removals
from modernize.formats.yamldoc import get, key_node
from modernize.model import Edit, Notice
from modernize.registry import Context, findings_of

ID = "compose-version-key"
TITLE = "Remove the obsolete top-level `version:` key from compose files"
KINDS = ("compose",)


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    text = document.text
    lines = document.lines
    for number, root in enumerate(document.yaml.roots):
        key = key_node(root, "version")
        value = get(root, "version")
        if key is None or value is None:
            continue
        key_start = key.start_mark.index
        start = lines.line_start(key_start)
        if text[start:key_start].strip():
            yield Notice(
                key_start,
                "the top-level `version` key shares its line (a flow mapping); not removed: "
                "delete it by hand",
            )
            continue
        line_span = (start, lines.line_end(max(value.end_mark.index - 1, key_start)))
        for removal_start, removal_end in line_removals(text, [line_span]):
            yield Edit(removal_start, removal_end, "", declares=((number, "version"),))


def check(document: Document, context: Context) -> Iterator[Notice]:
    yield from findings_of(migrate, document, context, "obsolete top-level `version` key")
