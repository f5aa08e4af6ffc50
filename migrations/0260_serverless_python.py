"""Move serverless Python runtimes to the target, where the platform offers it.

What:

- Google App Engine's ``app.yaml``: ``runtime: python310`` becomes ``python312``;
- AWS SAM and CloudFormation templates (``template.yaml``, or any YAML file with
  ``Resources``): a ``Runtime: python3.10`` (a function's ``Properties``, ``Globals:
  Function:``) becomes ``python3.12``;
- the Serverless Framework's ``serverless.yml``: ``provider: runtime:`` and each function's
  ``runtime:``.

Only to a runtime the platform is known to offer: the shipped lists (``rules.runtimes``, read
on their date) say which; a target the platform is not known to offer is reported, never
guessed.

Why: a function deployed on the old runtime runs another Python than the one tested, and
platforms retire old runtimes: a deprecated runtime can no longer be updated.

Example::

    app.yaml:       runtime: python310     ->  runtime: python312
    template.yaml:  Runtime: python3.10    ->  Runtime: python3.12

A CloudFormation ``Runtime: !Ref PythonRuntime`` (or ``Ref:``) is followed to the parameter's
``Default`` (refused when its ``AllowedValues`` leave the new runtime out), and a Serverless
``${self:custom.runtime}`` to its ``custom`` value.

Refuses (reported): a target the platform is not known to offer, a runtime given through
another variable or function (``!If``, ``Fn::If``, ``!FindInMap``, ``!Sub``) naming an old one.
Left silently: other languages' runtimes and runtimes at or above the target. A comment that
may explain the pin keeps it; a project that cannot run the target keeps its files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from modernize.authoring import Context, Document, Edit, InPlace, Notice, Targets, yamldoc
from modernize.lazy import lazy_pattern
from modernize.rules import runtimes
from modernize.rules.textcheck import yaml_escapes
from modernize.rules.versions import Minor, below

ID = "serverless-python"
TITLE = "Move App Engine, AWS Lambda (SAM, CloudFormation) and Serverless Python runtimes"
KINDS = ("app-engine", "aws-sam", "serverless", "manifest")
#: It moves a file's Python: a file whose project cannot run the target stays.
MOVES = "python"
CODE = "M027"
#: What a pending change is, as ``verify`` reports it.
FINDING = "serverless Python runtime below the target"

_APP_ENGINE = lazy_pattern(r"python(?P<major>3)(?P<minor>[0-9]{1,2})")
_LAMBDA = lazy_pattern(r"python(?P<major>3)\.(?P<minor>[0-9]{1,2})")


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    targets = context.targets
    for root in document.yaml.roots:
        if not isinstance(root, yamldoc.MappingNode):
            continue
        if document.kind == "app-engine":
            yield from _runtime(document, yamldoc.get(root, "runtime"), targets, google=True)
        elif document.kind == "serverless":
            provider = yamldoc.get(root, "provider")
            found = [yamldoc.get(provider, "runtime")]
            found += [
                yamldoc.get(f, "runtime") for _n, f in yamldoc.items(yamldoc.get(root, "functions"))
            ]
            seen: set[int] = set()
            for node in found:
                custom = _custom_reference(node)
                if custom is not None:
                    # ``${self:custom.runtime}``: the value is where ``custom`` sets it.
                    node = yamldoc.get(yamldoc.get(root, "custom"), custom)
                    if node is None or id(node) in seen:
                        continue
                    seen.add(id(node))
                yield from _runtime(document, node, targets)
        elif yamldoc.get(root, "Resources") is not None:  # SAM or CloudFormation
            parameters = yamldoc.get(root, "Parameters")
            globals_ = yamldoc.get(yamldoc.get(root, "Globals"), "Function")
            runtimes_found = [yamldoc.get(globals_, "Runtime")]
            for _name, resource in yamldoc.items(yamldoc.get(root, "Resources")):
                runtimes_found.append(yamldoc.get(yamldoc.get(resource, "Properties"), "Runtime"))
            followed: set[int] = set()
            for node in runtimes_found:
                name = _reference(node)
                if name is None:
                    yield from _runtime(document, node, targets)
                    continue
                # ``!Ref PythonRuntime`` (or ``Ref:``): the parameter's default is where it is
                # set, and its ``AllowedValues`` must allow the new runtime.
                parameter = yamldoc.get(parameters, name)
                default = yamldoc.get(parameter, "Default")
                if isinstance(default, yamldoc.ScalarNode) and id(default) not in followed:
                    followed.add(id(default))
                    allowed = yamldoc.get(parameter, "AllowedValues")
                    yield from _runtime(document, default, targets, allowed=allowed)


def _reference(node: yamldoc.Node | None) -> str | None:
    """The parameter a CloudFormation ``!Ref X`` or ``{Ref: X}`` names, or None."""
    if isinstance(node, yamldoc.ScalarNode) and node.tag == "!Ref":
        return str(node.value)
    ref = yamldoc.get(node, "Ref") if isinstance(node, yamldoc.MappingNode) else None
    if isinstance(ref, yamldoc.ScalarNode) and len(node.value) == 1:  # type: ignore[union-attr]
        return str(ref.value)
    return None


def _custom_reference(node: yamldoc.Node | None) -> str | None:
    """The ``custom`` key a Serverless ``${self:custom.KEY}`` names, or None."""
    if not isinstance(node, yamldoc.ScalarNode):
        return None
    match = re.fullmatch(r"\$\{self:custom\.([\w-]+)\}", str(node.value))
    return match[1] if match else None


def _runtime(
    document: Document,
    node: yamldoc.Node | None,
    targets: Targets,
    google: bool = False,
    allowed: yamldoc.Node | None = None,
) -> Iterator[Edit | Notice]:
    if isinstance(node, (yamldoc.MappingNode, yamldoc.SequenceNode)):
        # ``Fn::If``, ``!If [...]``, ``!FindInMap``: the runtime is chosen elsewhere.
        written = document.text[node.start_mark.index : node.end_mark.index]
        if re.search(r"python3\.?[0-9]+", written) and _names_below(written, targets):
            yield Notice(
                node.start_mark.index,
                "the runtime is chosen by a function here: not changed; move the Python "
                "runtimes it chooses from by hand",
            )
        return
    if not isinstance(node, yamldoc.ScalarNode):
        return
    value = str(node.value)
    pattern = _APP_ENGINE if google else _LAMBDA
    match = pattern.fullmatch(value)
    if match is None:
        if node.tag.startswith("!") or "${" in value:
            written = document.text[node.start_mark.index : node.end_mark.index]
            if _names_below(written, targets):
                yield Notice(
                    node.start_mark.index,
                    f"the runtime {written!r} is given through a parameter or variable: not "
                    "changed; move it where it is set",
                )
        return
    if not below(match["major"], match["minor"], targets.python):
        return
    wanted: Minor = (targets.python.major, targets.python.minor)
    offered = runtimes.APP_ENGINE if google else runtimes.AWS_LAMBDA
    platform = "App Engine" if google else "AWS Lambda"
    new = f"python{wanted[0]}{wanted[1]}" if google else f"python{wanted[0]}.{wanted[1]}"
    if wanted not in offered:
        yield Notice(
            node.start_mark.index,
            f"runtime {value}: {platform} is not known to offer {new} (runtimes known on "
            f"{runtimes.KNOWN_ON}): not changed; check the platform's list and move it by hand",
        )
        return
    if isinstance(allowed, yamldoc.SequenceNode) and new not in {
        str(entry.value) for entry in allowed.value if isinstance(entry, yamldoc.ScalarNode)
    }:
        yield Notice(
            node.start_mark.index,
            f"runtime {value}: the parameter's AllowedValues do not allow {new}: not changed; add "
            "it there and move the default by hand",
        )
        return
    span = yamldoc.scalar_span(document.text, node)
    if span is None:
        return
    # The whole runtime is the edit: a comment beside it that names ``python3.10`` speaks of it.
    yield Edit(span[0], span[1], new, declares=(InPlace(document.yaml.path_of(node)),))


def _names_below(text: str, targets: Targets) -> bool:
    return any(
        below(3, match[1], targets.python) for match in re.finditer(r"python3\.?([0-9]+)", text)
    )


def touches(text: str, context: Context) -> bool:
    return yaml_escapes(text) or (("untime" in text) and ("python3" in text))
