"""File names shown safely: in diff headers as git quotes them, in text and JSON output
printably, in SARIF as URIs.

A name comes from the file system as ``str``, its bytes that are not UTF-8 as lone surrogates
(``os.fsdecode``); none of them may reach the output as they are: a TAB or newline breaks a
diff header or a ``path:line:`` line, and a lone surrogate cannot be encoded (or is invalid
JSON).
"""

from __future__ import annotations

import os
import re
from urllib.parse import quote

from modernize.lazy import lazy_pattern

#: The escapes of git's ``quote_c_style``; other control bytes are written in octal.
_LETTERS = {7: "a", 8: "b", 9: "t", 10: "n", 11: "v", 12: "f", 13: "r", 34: '"', 92: "\\"}
#: Bytes that were not UTF-8, as ``os.fsdecode`` keeps them.
_UNDECODED = lazy_pattern("[\udc80-\udcff]")
_SURROGATE = lazy_pattern("[\ud800-\udfff]")


def _byte_escape(byte: int) -> str:
    letter = _LETTERS.get(byte)
    return f"\\{letter}" if letter else f"\\{byte:03o}"


def git_quoted(name: str) -> str:
    """``name`` as git writes it in a diff header (``quote_c_style``, ``core.quotePath`` on):
    as it is, unless a byte is a control character, ``"``, ``\\`` or not ASCII; then in double
    quotes, those bytes escaped (``\\t``, ``\\"``, ``\\303\\251``)."""
    # Most names: printable ASCII (which has no control character) without a quote or backslash.
    if name.isascii() and name.isprintable() and '"' not in name and "\\" not in name:
        return name
    data = os.fsencode(name)
    return (
        '"'
        + "".join(
            chr(byte) if 32 <= byte < 127 and byte not in (34, 92) else _byte_escape(byte)
            for byte in data
        )
        + '"'
    )


def shown(name: str) -> str:
    """``name`` in text output (``path:line: …``, the report, ``# repository:`` lines): as it
    is when every character is printable, else quoted as git quotes it, but for printable
    non-ASCII characters, which stay (``core.quotePath`` off): ``"a\\tb"``, ``"x\\377"``."""
    if name.isprintable() and '"' not in name and "\\" not in name:
        return name
    parts = []
    for character in name:
        if _UNDECODED.fullmatch(character):
            parts.append(_byte_escape(ord(character) - 0xDC00))
        elif character.isprintable() and character not in '"\\':
            parts.append(character)
        else:
            parts.extend(map(_byte_escape, character.encode("utf-8", "surrogatepass")))
    return '"' + "".join(parts) + '"'


def escaped(text: str) -> str:
    """``text`` for JSON (and other UTF-8 output): as it is when it is all Unicode, else each
    byte that was not UTF-8 as ``\\xNN`` and, so that the form reads back, each backslash
    doubled."""
    if not _SURROGATE.search(text):
        return text
    return _SURROGATE.sub(
        lambda match: (
            "".join(f"\\x{byte:02x}" for byte in match.group().encode("utf-8", "surrogateescape"))
            if _UNDECODED.fullmatch(match.group())
            else "\\u" + f"{ord(match.group()):04x}"
        ),
        text.replace("\\", "\\\\"),
    )


#: What a line of text output shows escaped: bytes that were not UTF-8 and other surrogates,
#: and the control characters but TAB (C0, DEL and C1), which a terminal would act on.
_UNPRINTABLE = lazy_pattern("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` for a line of text output (a diagnostic's message): as it is when it holds no
    character a terminal would act on (an escape sequence that clears the screen, a carriage
    return, a bell) and no byte that was not UTF-8; else each such character as ``\\xNN`` (a
    surrogate as ``escaped`` writes it) and, so that the form reads back, each backslash
    doubled. A file's own text quoted in a message cannot rewrite the terminal."""
    if not _UNPRINTABLE.search(text):
        return text

    def shown_as(match: re.Match[str]) -> str:
        character = match.group()
        if character >= "\ud800":  # a surrogate: the pattern's last range
            return escaped(character)
        return f"\\x{ord(character):02x}"

    return _UNPRINTABLE.sub(shown_as, text.replace("\\", "\\\\"))


def uri_path(name: str) -> str:
    """A relative POSIX path as a URI path (RFC 3986): its bytes percent-encoded, ``/`` kept."""
    return quote(os.fsencode(name), safe="/")
