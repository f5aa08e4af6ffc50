"""Compose ``volumes:`` entries in short (``source:target[:mode]``) and long syntax."""

from __future__ import annotations

from collections.abc import Iterator

from modernize.formats.yamldoc import MappingNode, Node, ScalarNode, SequenceNode, get
from modernize.records import record


@record(frozen=True)
class Mount:
    """A volume or bind mount of a compose service: its entry, source (empty for an anonymous
    volume) and target."""

    entry: Node
    source: str  # empty for an anonymous volume
    target: str
    kind: str  # "volume" or "bind"

    def describe(self) -> str:
        if not self.source:
            return "an anonymous volume"
        return f"{'bind mount' if self.kind == 'bind' else 'volume'} {self.source!r}"

    def is_at(self, directory: str) -> bool:
        """Whether the mount is at ``directory`` or below it."""
        target = self.target.rstrip("/")
        return target == directory or target.startswith(directory + "/")


def split_volume(spec: str) -> list[str]:
    """``source:target[:mode]`` split at colons outside ``${…}`` and after a Windows drive."""
    parts: list[str] = []
    current = ""
    depth = 0
    for position, char in enumerate(spec):
        if spec.startswith("${", position):
            depth += 1
        elif char == "}" and depth:
            depth -= 1
        if char == ":" and depth == 0:
            drive = len(current) == 1 and current.isalpha() and not parts
            if not (drive and spec[position + 1 : position + 2] in ("\\", "/")):
                parts.append(current)
                current = ""
                continue
        current += char
    parts.append(current)
    return parts


def _is_path(source: str) -> bool:
    return source.startswith((".", "/", "~", "$")) or (
        len(source) > 2 and source[1] == ":" and source[2] in "\\/"
    )


def mounts(volumes: Node | None) -> Iterator[Mount]:
    if not isinstance(volumes, SequenceNode):
        return
    for entry in volumes.value:
        if isinstance(entry, ScalarNode):
            parts = split_volume(str(entry.value))
            if len(parts) == 1:
                yield Mount(entry, "", parts[0], "volume")
            else:
                kind = "bind" if _is_path(parts[0]) else "volume"
                yield Mount(entry, parts[0], parts[1], kind)
        elif isinstance(entry, MappingNode):
            target = get(entry, "target")
            if not isinstance(target, ScalarNode):
                continue
            source_node = get(entry, "source")
            kind_node = get(entry, "type")
            yield Mount(
                entry,
                str(source_node.value) if isinstance(source_node, ScalarNode) else "",
                str(target.value),
                str(kind_node.value) if isinstance(kind_node, ScalarNode) else "volume",
            )
