"""Optional offline validators folded into ``verify``: check-jsonschema's vendored schemas for
workflows, actions and compose files, and hadolint for Dockerfiles.

They run only when installed (the ``validate`` extra: ``pip install '.[validate]'`` in a
checkout) and never reach the network. A validator that cannot parse a file reports it as "not
checked" (a note), never as a failure.

Nothing of the repository under check may run, and a validator is a process started in it:
check-jsonschema's Python starts isolated (``-I``: no current directory on its path, no
``PYTHON*`` variables) in an empty temporary directory, then imports from this process's own
absolute search path; hadolint is taken from an absolute ``PATH`` entry only (an empty or
relative entry names the current directory, which may be the repository). hadolint imports
nothing, so it still runs in the current directory, where it reads ``.hadolint.yaml``.
"""

from __future__ import annotations

import importlib.machinery
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from modernize.formats.document import Document
from modernize.formats.yamldoc import MappingNode, Node, SequenceNode, get
from modernize.kinds import SCHEMAS
from modernize.lazy import lazy_pattern
from modernize.model import Finding
from modernize.records import record

TIMEOUT_SECONDS = 120


@record(frozen=True)
class Checked:
    """A file the validators may look at: its path on disk and its parsed document."""

    path: Path
    document: Document


def search_path() -> list[str]:
    """Where a validator's Python modules come from: this process's absolute ``sys.path``
    entries, less the current directory (``python -m`` puts it first)."""
    here = os.getcwd()
    return [entry for entry in sys.path if os.path.isabs(entry) and entry != here]


def hadolint_binary() -> str | None:
    beside = Path(sys.executable).parent / "hadolint"
    if beside.is_absolute() and beside.is_file():
        return str(beside)
    entries = os.environ.get("PATH", os.defpath).split(os.pathsep)
    return shutil.which("hadolint", path=os.pathsep.join(filter(os.path.isabs, entries)))


def available() -> dict[str, bool]:
    finder = importlib.machinery.PathFinder
    return {
        "check-jsonschema": finder.find_spec("check_jsonschema", search_path()) is not None,
        "hadolint": hadolint_binary() is not None,
    }


#: ``python -I -c`` this, then the search path (JSON), the module and its arguments: the module
#: runs as ``python -m`` would run it, importing only from that path.
_RUN_MODULE = (
    "import json, runpy, sys; sys.path[:] = json.loads(sys.argv[1]); "
    "sys.argv[:] = sys.argv[2:]; runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)"
)


def python_module(module: str, *args: str) -> list[str]:
    """The command that runs ``python -m module args`` isolated from the working directory."""
    path = json.dumps(search_path())
    return [sys.executable, "-I", "-c", _RUN_MODULE, path, module, *args]


#: A YAML file whose aliases would expand past this many nodes is not handed to a validator
#: that loads (and so expands) it: an alias bomb must not exhaust memory.
MAX_EXPANDED_NODES = 200_000


def expanded_size(roots: Sequence[Node]) -> int:
    """How many nodes loading the YAML would build, computed without building them."""
    sizes: dict[int, int] = {}

    def size(node: Node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        sizes[id(node)] = 1  # a recursive alias counts once
        total = 1
        if isinstance(node, MappingNode):
            total += sum(size(key) + size(value) for key, value in node.value)
        elif isinstance(node, SequenceNode):
            total += sum(size(item) for item in node.value)
        sizes[id(node)] = min(total, MAX_EXPANDED_NODES + 1)
        return sizes[id(node)]

    return sum(size(root) for root in roots)


def run_validators(files: Sequence[Checked]) -> list[Finding]:
    tools = available()
    findings: list[Finding] = []
    if tools["check-jsonschema"]:
        for kind, schema in SCHEMAS.items():
            chosen = []
            for checked in files:
                if checked.document.kind != kind:
                    continue
                if expanded_size(checked.document.yaml.roots) > MAX_EXPANDED_NODES:
                    findings.append(_not_checked(checked, "check-jsonschema", "too many aliases"))
                else:
                    chosen.append(checked)
            if chosen:
                findings.extend(_schema_findings(chosen, schema))
    if tools["hadolint"]:
        chosen = [f for f in files if f.document.kind == "dockerfile"]
        if chosen:
            findings.extend(_hadolint_findings(chosen))
    return findings


def _run(command: list[str], *, neutral: bool = True) -> str:
    """``command``'s output; run in an empty directory unless not ``neutral`` (every file it
    reads is named by an absolute path)."""
    try:
        with tempfile.TemporaryDirectory(prefix="modernize-validator-") as empty:
            completed = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
                cwd=empty if neutral else None,
            )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return completed.stdout


def _schema_findings(files: Sequence[Checked], schema: str) -> Iterator[Finding]:
    by_name = {os.path.abspath(f.path): f for f in files}
    output = _run(
        python_module("check_jsonschema", "--builtin-schema", schema, "-o", "json", *by_name)
    )
    try:
        report = json.loads(output)
    except json.JSONDecodeError:
        for each in files:
            yield _not_checked(each, "check-jsonschema")
        return
    for error in report.get("errors", []):
        checked = by_name.get(error.get("filename", ""))
        if checked is None:
            continue
        best = error.get("best_deep_match") or error
        line = _line_of_json_path(checked.document, str(best.get("path", "$")))
        yield Finding(
            checked.document.path,
            line,
            f"does not match the {schema} schema: {best.get('message', error.get('message'))}",
            "error",
            code="V001",
        )
    for error in report.get("parse_errors", []):
        unparsed = by_name.get(error.get("filename", ""))
        if unparsed is not None:
            yield _not_checked(unparsed, "check-jsonschema")


def _hadolint_findings(files: Sequence[Checked]) -> Iterator[Finding]:
    binary = hadolint_binary()
    assert binary is not None
    for checked in files:
        output = _run(
            [binary, "--no-fail", "-f", "json", os.path.abspath(checked.path)], neutral=False
        )
        try:
            results = json.loads(output)
        except json.JSONDecodeError:
            yield _not_checked(checked, "hadolint")
            continue
        for result in results:
            if result.get("code") == "DL1000":  # hadolint could not parse the file
                yield _not_checked(checked, "hadolint")
                break
            yield Finding(
                checked.document.path,
                int(result.get("line", 1)),
                f"hadolint: {result.get('message', '')}",
                "warning",
                code=str(result.get("code", "HADOLINT")),
            )


def _not_checked(checked: Checked, tool: str, why: str = "it cannot parse this file") -> Finding:
    return Finding(checked.document.path, 1, f"not checked by {tool}: {why}", "note", code="V000")


_PATH_PART = lazy_pattern(r"\.([^.\[]+)|\[(\d+)\]")


def _line_of_json_path(document: Document, path: str) -> int:
    """The line of the node a JSON path (``$.jobs.build.steps[0]``) names, or of its nearest
    ancestor that exists."""
    node: Node | None = document.yaml.roots[0] if document.yaml.roots else None
    line = 1
    for match in _PATH_PART.finditer(path):
        if node is None:
            break
        line = int(node.start_mark.line) + 1
        if match.group(1) is not None and isinstance(node, MappingNode):
            node = get(node, match.group(1))
        elif match.group(2) is not None and isinstance(node, SequenceNode):
            index = int(match.group(2))
            node = node.value[index] if index < len(node.value) else None
        else:
            node = None
    if node is not None:
        line = int(node.start_mark.line) + 1
    return line
