"""Format readers: each parses text only to locate things, by character offsets."""

from modernize.lazy import lazy_pattern

_NEWLINE = lazy_pattern("\n")


def line_starts(text: str) -> list[int]:
    """The offset where each line of ``text`` starts: 0, then one past every ``\\n`` (one past
    the last character when the text ends with one). A regular expression finds them faster
    than a loop over the characters."""
    return [0, *(found.end() for found in _NEWLINE.finditer(text))]
