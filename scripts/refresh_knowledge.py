"""Rebuild modernize's shipped knowledge (``src/modernize/data/knowledge.json``) from facts
gathered from the upstream repositories.

The facts come as a folder of JSON files (``--from DIR``):

- ``actions.json``: ``{"actions": {"owner/name": [{"tag", "sha", "date", "using", "inputs"}]}}``,
  every release tag of each standard action with the commit it points at, its date, the
  runtime its ``action.yml`` declares (``node20``) and the inputs it accepts;
- ``image-variants.json``: ``{"python" | "postgres": {"as_of", "versions": {VERSION: {"_release":
  {"first", "last", "version"}, VARIANT: {"first", "last"}}}}}``, when each variant of each
  python minor and postgres major was first and last built;
- ``docker-library-python-versions.json`` and ``docker-library-postgres-versions.json``: the
  files the official images are built from now (their ``variants`` are the ones still built).

The tool itself never reads the network: a maintainer runs this before a release, and the run
uses what was shipped. ``--check`` exits 1 when the shipped file is not what the facts give.

    python scripts/refresh_knowledge.py --from FACTS_DIR          # rewrite the shipped file
    python scripts/refresh_knowledge.py --from FACTS_DIR --check  # is it current?

``--actions-from-git BASE`` reads the actions' facts from their repositories instead of
``actions.json``: each of ``BASE/owner/name`` (``https://github.com`` for the real ones) is
cloned without checkout, and every release tag gives its commit, the commit's date, and the
``runs.using`` and ``inputs`` of the ``action.yml`` (or ``action.yaml``) at that commit.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "src" / "modernize" / "data" / "knowledge.json"
FORMAT = 1


def _actions(facts: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """Each action's releases, newest first, with the input lists shared between releases
    (most releases of a major accept the same inputs): ``[tag, sha, date, using, inputs]``,
    ``inputs`` an index into ``"inputs"``."""
    input_lists: list[list[str]] = []
    index_of: dict[tuple[str, ...], int] = {}
    actions: dict[str, list[list[Any]]] = {}
    newest = ""
    for name in sorted(facts["actions"]):
        releases = []
        for release in facts["actions"][name]:
            inputs = tuple(sorted(release.get("inputs") or ()))
            if inputs not in index_of:
                index_of[inputs] = len(input_lists)
                input_lists.append(list(inputs))
            date = str(release["date"])
            newest = max(newest, date)
            releases.append(
                [
                    str(release["tag"]),
                    str(release["sha"]).lower(),
                    date,
                    release.get("using"),
                    index_of[inputs],
                ]
            )
        releases.sort(key=lambda entry: (entry[2], entry[0]), reverse=True)
        actions[name.lower()] = releases
    return {"inputs": input_lists, "releases": actions}, newest


def _images(
    variants: dict[str, Any], built: dict[str, dict[str, Any]]
) -> tuple[dict[str, Any], str]:
    """Per image and version: the latest release, and each variant's first and last build
    date (``[first, last]``); ``current``: the variants the build files still list."""
    images: dict[str, Any] = {}
    newest = ""
    for image in sorted(variants):
        table = variants[image]
        newest = max(newest, str(table["as_of"]))
        versions: dict[str, Any] = {}
        for version in sorted(table["versions"]):
            entry = table["versions"][version]
            release = entry.get("_release", {})
            versions[version] = {
                "release": release.get("version"),
                "released": [release.get("first"), release.get("last")],
                "variants": {
                    variant: [dates["first"], dates["last"]]
                    for variant, dates in sorted(entry.items())
                    if not variant.startswith("_")
                },
                "current": sorted(built.get(image, {}).get(version, {}).get("variants", [])),
            }
        images[image] = {"as_of": table["as_of"], "versions": versions}
    return images, newest


_RELEASE_TAG = re.compile(r"v[0-9]+(\.[0-9]+)*")


def _git(*args: str, cwd: str | None = None) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout


def action_facts_from_git(base: str, name: str) -> list[dict[str, Any]]:
    """The facts of one action's release tags, read from its repository at ``base/name``."""
    import yaml

    releases = []
    with tempfile.TemporaryDirectory() as folder:
        _git("clone", "--quiet", "--bare", f"{base.rstrip('/')}/{name}", folder)
        listed = _git("for-each-ref", "refs/tags", "--format=%(refname:short)", cwd=folder)
        for tag in listed.split():
            if not _RELEASE_TAG.fullmatch(tag):
                continue
            sha = _git("rev-parse", f"{tag}^{{commit}}", cwd=folder).strip()
            date = _git("log", "-1", "--format=%cs", sha, cwd=folder).strip()
            metadata: Any = None
            for file_name in ("action.yml", "action.yaml"):
                shown = subprocess.run(
                    ["git", "show", f"{sha}:{file_name}"], cwd=folder, capture_output=True
                )
                if shown.returncode == 0:
                    metadata = yaml.safe_load(shown.stdout.decode("utf-8"))
                    break
            metadata = metadata if isinstance(metadata, dict) else {}
            runs = metadata.get("runs") if isinstance(metadata.get("runs"), dict) else {}
            inputs = metadata.get("inputs") if isinstance(metadata.get("inputs"), dict) else {}
            releases.append(
                {
                    "tag": tag,
                    "sha": sha,
                    "date": date,
                    "using": runs.get("using"),
                    "inputs": sorted(str(key) for key in inputs),
                }
            )
    return releases


def build(
    source: Path, actions_from_git: str | None = None, names: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The knowledge the facts in ``source`` give (the actions' from their repositories at
    ``actions_from_git``, when given: those in ``names``, or the ones ``actions.json`` has)."""

    def read(name: str) -> Any:
        return json.loads((source / name).read_text(encoding="utf-8"))

    built = {
        image: {
            str(key): value for key, value in read(f"docker-library-{image}-versions.json").items()
        }
        for image in ("python", "postgres")
    }
    if actions_from_git is None:
        action_facts = read("actions.json")
    else:
        chosen = names or tuple(read("actions.json")["actions"])
        action_facts = {
            "actions": {name: action_facts_from_git(actions_from_git, name) for name in chosen}
        }
    actions, actions_date = _actions(action_facts)
    images, images_date = _images(read("image-variants.json"), built)
    return {
        "format": FORMAT,
        # The newest fact it holds: what ``modernize --version`` may call the date it is
        # current to.
        "as_of": max(actions_date, images_date),
        "actions": actions,
        "images": images,
    }


def render(knowledge: dict[str, Any]) -> str:
    """One release or variant a line: a refresh reads as a reviewable diff."""
    text = json.dumps(knowledge, indent=1, sort_keys=True, ensure_ascii=True)
    return text + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="source", type=Path, required=True, metavar="DIR")
    parser.add_argument("--output", type=Path, default=SHIPPED)
    parser.add_argument("--check", action="store_true", help="exit 1 when the file is stale")
    parser.add_argument("--actions-from-git", metavar="BASE", help="e.g. https://github.com")
    parser.add_argument("--action", action="append", default=[], metavar="OWNER/NAME")
    args = parser.parse_args(argv)
    text = render(build(args.source, args.actions_from_git, tuple(args.action)))
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output}: not what the facts in {args.source} give", file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
