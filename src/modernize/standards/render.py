"""RD rules: every render.yaml service deploys automatically (``autoDeploy`` or the newer
``autoDeployTrigger``); web services other than static sites are health-checked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from modernize.formats.document import Document
from modernize.formats.yamldoc import MappingNode, ScalarNode, SequenceNode, get
from modernize.standards import Violation
from modernize.targets import Targets

# Key Value (formerly Redis) instances run no code of the repository: nothing to deploy.
_NOT_DEPLOYED = frozenset({"keyvalue", "redis"})


def check(document: Document, targets: Targets, directory: Path) -> Iterator[Violation]:
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
            kind = _scalar(service, "type")
            deploy_settings = (get(service, "autoDeploy"), get(service, "autoDeployTrigger"))
            if kind not in _NOT_DEPLOYED and deploy_settings == (None, None):
                yield Violation(where, "RD001", f"service {name!r} does not set autoDeploy")
            static = "static" in (_scalar(service, "runtime"), _scalar(service, "env"))
            if kind == "web" and not static and get(service, "healthCheckPath") is None:
                yield Violation(where, "RD002", f"web service {name!r} has no healthCheckPath")


def _scalar(service: MappingNode, key: str) -> str | None:
    value = get(service, key)
    return str(value.value) if isinstance(value, ScalarNode) else None
