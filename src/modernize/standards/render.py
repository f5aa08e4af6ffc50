"""RD rules: every render.yaml service deploys automatically; web services are health-checked."""

from __future__ import annotations

from collections.abc import Iterator

from modernize.document import Document
from modernize.formats.yamldoc import MappingNode, ScalarNode, SequenceNode, get
from modernize.standards import Violation
from modernize.targets import Targets


def check(document: Document, targets: Targets) -> Iterator[Violation]:
    for root in document.yaml.roots:
        services = get(root, "services")
        if not isinstance(services, SequenceNode):
            continue
        for service in services.value:
            if not isinstance(service, MappingNode):
                continue
            name_node = get(service, "name")
            name = str(name_node.value) if isinstance(name_node, ScalarNode) else "?"
            where = service.start_mark.index
            if get(service, "autoDeploy") is None:
                yield Violation(where, "RD001", f"service {name!r} does not set autoDeploy")
            kind = get(service, "type")
            if (
                isinstance(kind, ScalarNode)
                and kind.value == "web"
                and get(service, "healthCheckPath") is None
            ):
                yield Violation(where, "RD002", f"web service {name!r} has no healthCheckPath")
