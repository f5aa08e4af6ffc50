"""DF rules: the final stage runs as a non-root user, has a healthcheck, and dependencies are
installed in a separate build stage."""

from __future__ import annotations

import re
from collections.abc import Iterator

from modernize.formats.document import Document
from modernize.standards import Violation
from modernize.targets import Targets

_INSTALLS = re.compile(
    r"\b(pip3?\s+install|poetry\s+install|uv\s+(?:sync|pip\s+install)|pipenv\s+install|"
    r"npm\s+(?:ci|install)|yarn\s+install|pnpm\s+install|bundle\s+install|cargo\s+build|go\s+build)\b"
)
# ``USER user[:group]``: the user decides, whatever the group (``0:1000`` is root).
_ROOT_USERS = frozenset({"root", "0"})


def check(document: Document, targets: Targets) -> Iterator[Violation]:
    dockerfile = document.dockerfile
    instructions = dockerfile.instructions
    model = dockerfile.stages
    if not model.stages:
        return
    # The final stage inherits the USER and HEALTHCHECK of the stages it is built on.
    final = [
        instructions[index] for stage in model.chain(model.stages[-1]) for index in stage.indexes
    ]
    anchor = instructions[model.stages[-1].start].start
    users = [ins for ins in final if ins.name == "USER" and ins.words]
    if not users or users[-1].words[0].text.split(":")[0].lower() in _ROOT_USERS:
        where = users[-1].start if users else anchor
        yield Violation(where, "DF001", "the final stage runs as root: add a non-root USER")
    healthchecks = [ins for ins in final if ins.name == "HEALTHCHECK"]
    if not healthchecks or healthchecks[-1].argument_text().upper().startswith("NONE"):
        yield Violation(anchor, "DF002", "the final stage has no HEALTHCHECK")
    if len(model.stages) == 1:
        text = document.text
        for instruction in final:
            body = instruction.argument_text() + " ".join(
                text[start:end] for start, end in instruction.heredoc_bodies
            )
            if instruction.name == "RUN" and _INSTALLS.search(body):
                yield Violation(
                    instruction.start,
                    "DF003",
                    "dependencies are installed in a single-stage build: build them in a "
                    "separate stage and copy the result into a clean one",
                )
                break
