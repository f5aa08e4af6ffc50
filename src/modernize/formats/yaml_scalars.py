"""Where a YAML scalar's value is spelled in the text: the one span of a value written as it
reads, or one segment per line of a block, folded or quoted scalar; None when escapes or
doubled quotes spell it otherwise (such a value is never edited in place). ``formats.yamldoc``
re-exports these for the migrations."""

from __future__ import annotations

from yaml.nodes import Node, ScalarNode

from modernize.lazy import lazy_pattern


def scalar_span(text: str, node: Node) -> tuple[int, int] | None:
    """Offsets of a scalar's value inside the source, or None when the source spells it
    differently (escapes, folding, block scalars): such a value is never edited in place."""
    if not isinstance(node, ScalarNode):
        return None
    # The start mark sits before any anchor or tag (``&db postgres:14``, ``!reset x``), so
    # the value is located from its end.
    end = node.end_mark.index
    if node.style in ("'", '"'):
        end -= 1
        if end < 0 or text[end : end + 1] != node.style:
            return None
    elif node.style:  # block scalars; plain is None (pure composer) or "" (libyaml)
        return None
    start = end - len(node.value)
    if start < node.start_mark.index or end > len(text) or text[start:end] != node.value:
        return None
    if node.style and text[start - 1 : start] != node.style:
        return None
    return start, end


_PREFIX = lazy_pattern(r"""(?:[&!][^\s]*[ \t]+)*["']?""")


def scalar_segments(text: str, node: ScalarNode) -> list[tuple[int, int, int]] | None:
    """Where a scalar's value is spelled in the text, as ``(text_start, text_end,
    value_start)`` segments (see ``datatree.LeafSource``), or None when some of it is not spelled
    as it reads (escapes, doubled quotes).

    One segment for a value written as it reads (``scalar_span``). A scalar over several lines
    (a block scalar, a folded plain or quoted one) gets one segment per line: each line's text,
    without indentation and the quotes or block header around it, reads unchanged in the value,
    in order, separated only by the spaces and newlines that folding and indentation leave."""
    span = scalar_span(text, node)
    if span is not None:
        return [(span[0], span[1], 0)]
    start, end = node.start_mark.index, node.end_mark.index
    if node.style == '"' and "\\" in text[start:end]:
        return None
    value = str(node.value)
    segments: list[tuple[int, int, int]] = []
    position = 0
    line_start = start
    first = True
    while line_start < end:
        newline = text.find("\n", line_start, end)
        line_end = end if newline < 0 else newline
        content_start, content_end = line_start, line_end
        if first and node.style in ("|", ">"):
            content_start = content_end  # the block header: ``|``, ``>-``, ``|2+``, a comment
        elif first:
            prefix = _PREFIX.match(text, line_start, line_end)
            content_start = prefix.end() if prefix else line_start
        first = False
        while content_start < content_end and text[content_start] in " \t":
            content_start += 1
        while content_end > content_start and text[content_end - 1] in " \t\r":
            content_end -= 1
        if line_end == end and node.style in ("'", '"') and content_end > content_start:
            if text[content_end - 1] != node.style:
                return None
            content_end -= 1
        if content_end > content_start:
            content = text[content_start:content_end]
            found = value.find(content, position)
            if found < 0 or value[position:found].strip(" \t\n"):
                return None
            segments.append((content_start, content_end, found))
            position = found + len(content)
        line_start = line_end + 1
    if value[position:].strip(" \t\n"):
        return None
    return segments
