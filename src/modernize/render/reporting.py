"""Machine-readable renderings of verify findings: JSON and SARIF 2.1.0."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from modernize import __version__
from modernize.model import Finding
from modernize.registry import Migration
from modernize.render.quoting import escaped, uri_path
from modernize.standards import RULES
from modernize.workspace.ignore_files import repository_top

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def verify_rules(
    findings: Sequence[Finding], migrations: Sequence[Migration]
) -> list[dict[str, object]]:
    """SARIF's rules for ``verify``: every check, migration and standard, with what ``modernize
    rule CODE`` says of it, and each other code found (hadolint's, with its own page)."""
    from modernize.render.rules import migration_help, standard_help

    rules: dict[str, dict[str, object]] = {}
    for code, rule in RULES.items():
        rules[code] = {
            "id": code,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.explanation},
            "help": {"text": standard_help(rule), "markdown": standard_help(rule, True)},
            "defaultConfiguration": {"level": rule.severity},
        }
    for migration in migrations:
        doc = migration_help(migration)
        rules[migration.code] = {
            "id": migration.code,
            "name": migration.id,
            "shortDescription": {"text": f"{migration.id}: {migration.title}"},
            "fullDescription": {"text": doc.split("\n\n")[0].replace("\n", " ")},
            "help": {"text": doc, "markdown": doc},
        }
    for code in sorted({finding.code for finding in findings} - set(rules)):
        rules[code] = {"id": code, "shortDescription": {"text": f"hadolint rule {code}"}}
        page = _external_page(code)
        if page:
            rules[code]["helpUri"] = page
    return sorted(rules.values(), key=lambda rule: str(rule["id"]))


def _external_page(code: str) -> str:
    """Where hadolint (``DL``) and ShellCheck (``SC``) document their codes."""
    if code.startswith("DL"):
        return f"https://github.com/hadolint/hadolint/wiki/{code}"
    if code.startswith("SC"):
        return f"https://www.shellcheck.net/wiki/{code}"
    return ""


def findings_json(findings: Sequence[Finding]) -> str:
    return json.dumps(
        {
            "version": 1,
            "findings": [
                {
                    "path": escaped(finding.path),
                    "line": finding.line,
                    "code": finding.code,
                    "severity": finding.severity,
                    "message": escaped(finding.message),
                }
                for finding in findings
            ],
            "summary": {
                "errors": sum(1 for finding in findings if finding.severity == "error"),
                "warnings": sum(1 for finding in findings if finding.severity == "warning"),
                "notes": sum(1 for finding in findings if finding.severity == "note"),
            },
        },
        indent=2,
    )


def sarif_uris(root: str) -> Callable[[str], str]:
    """How to name a file found under PATH ``root`` (by its path relative to PATH) in SARIF:
    a percent-encoded URI (RFC 3986) relative to ``%SRCROOT%``, the repository root.

    That root is the git repository's (the nearest ``.git`` at or above PATH), wherever the
    current directory is; outside one, it is the current directory when PATH is inside it,
    else PATH itself (a file's folder): a PATH given as absolute or with ``..`` is a
    repository checked out elsewhere.
    """
    folder_named = root if os.path.isdir(root) else os.path.dirname(root) or os.curdir
    directory = Path(os.path.realpath(folder_named))
    base = repository_top(directory)
    if base is None:
        current = Path(os.path.realpath(os.curdir))
        base = current if current == directory or current in directory.parents else directory

    def uri(relative: str) -> str:
        location = os.path.relpath(directory / relative, base)
        return uri_path(Path(location).as_posix())

    return uri


def hazard_rules() -> list[dict[str, object]]:
    """SARIF's rules for ``advise``: one per hazard, with its explanation, fix and source."""
    from modernize.advice.hazards import HAZARDS
    from modernize.render.rules import hazard_help

    return [
        {
            "id": hazard.code,
            "name": hazard.name,
            "shortDescription": {"text": hazard.summary},
            "fullDescription": {"text": hazard.explanation},
            "help": {"text": hazard_help(hazard), "markdown": hazard_help(hazard, markdown=True)},
            "helpUri": hazard.source,
        }
        for hazard in HAZARDS
    ]


def findings_sarif(
    findings: Sequence[Finding],
    migrations: Sequence[Migration],
    uris: Mapping[str, str] | None = None,
    rules: Sequence[Mapping[str, object]] | None = None,
) -> str:
    """The SARIF log of ``findings``; ``uris`` maps their paths to their URIs (``sarif_uris``),
    a path missing there is percent-encoded as it is. ``rules``: the rules to name, instead of
    the migrations' and the standards'."""
    uris = uris or {}
    if rules is None:
        rules = verify_rules(findings, migrations)
    codes = [str(rule["id"]) for rule in rules]
    index = {code: position for position, code in enumerate(codes)}
    results = [
        {
            "ruleId": finding.code,
            "ruleIndex": index[finding.code],
            "level": finding.severity,
            "message": {"text": escaped(finding.message)},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": uris.get(finding.path) or uri_path(finding.path),
                            "uriBaseId": "%SRCROOT%",
                        },
                        "region": {"startLine": finding.line},
                    }
                }
            ],
        }
        for finding in findings
    ]
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "modernize",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2)


def github_annotations(findings: Sequence[Finding]) -> list[str]:
    """GitHub Actions workflow commands, one per finding (``::warning file=…,line=…::…``),
    escaped as the runner reads them."""
    lines = []
    for finding in findings:
        level = {"error": "error", "warning": "warning"}.get(finding.severity, "notice")
        properties = f"file={_property(finding.path)},line={finding.line}"
        properties += f",title={_property(finding.code)}"
        lines.append(f"::{level} {properties}::{_data(escaped(finding.message))}")
    return lines


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
