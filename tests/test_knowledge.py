"""The shipped knowledge: built by scripts/refresh_knowledge.py from facts read upstream, and
read back by ``modernize.data``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from modernize.data import from_data, knowledge, knowledge_date

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "refresh_knowledge.py"
#: The facts this checkout's knowledge was built from, when they sit beside the checkout.
FACTS = ROOT.parent / "shared" / "data"


def _facts(folder: Path) -> Path:
    """A small set of facts in the upstream shapes."""
    folder.mkdir()
    releases = [
        {
            "tag": "v3.1.0",
            "sha": "A" * 40,
            "date": "2024-01-02",
            "using": "node20",
            "inputs": ["x"],
        },
        {
            "tag": "v4",
            "sha": "b" * 40,
            "date": "2025-03-04",
            "using": "node24",
            "inputs": ["y", "x"],
        },
        {
            "tag": "v4.0.0",
            "sha": "b" * 40,
            "date": "2025-03-04",
            "using": "node24",
            "inputs": ["x", "y"],
        },
    ]
    (folder / "actions.json").write_text(json.dumps({"actions": {"Acme/Setup": releases}}))
    variants = {
        "python": {
            "as_of": "2026-05-06",
            "versions": {
                "3.12": {
                    "_release": {"first": "2023-10-02", "last": "2026-05-06", "version": "3.12.9"},
                    "bullseye": {"first": "2023-10-02", "last": "2025-08-08"},
                    "trixie": {"first": "2025-08-08", "last": "2026-05-06"},
                }
            },
        },
        "postgres": {"as_of": "2026-01-01", "versions": {}},
    }
    (folder / "image-variants.json").write_text(json.dumps(variants))
    built = {"3.12": {"variants": ["trixie", "slim-trixie"], "version": "3.12.9"}}
    (folder / "docker-library-python-versions.json").write_text(json.dumps(built))
    (folder / "docker-library-postgres-versions.json").write_text("{}")
    return folder


def _refresh(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, check=False
    )


def test_the_script_builds_what_the_loader_reads(tmp_path: Path) -> None:
    facts, output = _facts(tmp_path / "facts"), tmp_path / "knowledge.json"
    assert _refresh("--from", str(facts), "--output", str(output)).returncode == 0
    built = from_data(json.loads(output.read_text()))
    assert built.as_of == "2026-05-06"  # the newest fact
    releases = built.releases("acme/setup")
    assert [release.tag for release in releases] == ["v4.0.0", "v4", "v3.1.0"]  # newest first
    assert releases[0].inputs == releases[1].inputs == {"x", "y"}
    assert releases[2].sha == "a" * 40 and releases[2].using == "node20"
    assert built.newest_major("Acme/Setup") == 4
    python = built.image("python", "3.12")
    assert python is not None and python.release == "3.12.9"
    assert python.variants["bullseye"] == ("2023-10-02", "2025-08-08")
    assert python.current == {"trixie", "slim-trixie"}
    assert built.image("postgres", "16") is None
    # The same facts give the same file: --check passes, and fails once a fact changes.
    assert _refresh("--from", str(facts), "--output", str(output), "--check").returncode == 0
    (facts / "docker-library-python-versions.json").write_text("{}")
    stale = _refresh("--from", str(facts), "--output", str(output), "--check")
    assert stale.returncode == 1 and "not what the facts" in stale.stderr


@pytest.mark.skipif(not FACTS.is_dir(), reason="the upstream facts are not beside this checkout")
def test_the_shipped_knowledge_is_what_the_facts_give() -> None:
    result = _refresh("--from", str(FACTS), "--check")
    assert result.returncode == 0, result.stderr


def test_the_shipped_knowledge_knows_the_current_majors() -> None:
    shipped = knowledge()
    assert shipped.as_of >= "2026-08-01"
    assert knowledge_date() == shipped.as_of  # the quick read --version makes
    newest = {action: shipped.newest_major(action) for action in shipped.actions}
    assert newest["actions/checkout"] == 7
    assert newest["docker/setup-buildx-action"] == 4
    v4 = next(r for r in shipped.releases("actions/checkout") if r.tag == "v4")
    assert v4.using == "node20" and len(v4.sha) == 40
    python = shipped.image("python", "3.12")
    assert python is not None and python.release == "3.12.13"
    assert "bullseye" in python.variants and "bullseye" not in python.current


def _commit(repo: Path, action_yml: str, date: str, *tags: str) -> None:
    import os

    (repo / "action.yml").write_text(action_yml)
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": f"{date}T12:00:00+00:00",
        "GIT_COMMITTER_DATE": f"{date}T12:00:00+00:00",
    }
    identity = ["-c", "user.name=Maintainer", "-c", "user.email=maintainer@example.org"]
    for args in (["add", "action.yml"], ["commit", "--quiet", "-m", f"release {date}"]):
        subprocess.run(["git", *identity, *args], cwd=repo, env=env, check=True)
    for tag in tags:  # one annotated, the others lightweight, as projects mix them
        extra = ["-a", "-m", tag] if tag.count(".") == 2 else []
        subprocess.run(["git", *identity, "tag", *extra, tag], cwd=repo, env=env, check=True)


def test_the_actions_facts_are_read_from_their_repositories(tmp_path: Path) -> None:
    """``--actions-from-git``: each release tag's commit and date, and the ``runs.using`` and
    inputs of the action.yml at that commit; a tag that is no release is passed over."""
    repo = tmp_path / "git" / "acme" / "setup"
    repo.mkdir(parents=True)
    subprocess.run(["git", "init", "--quiet", str(repo)], check=True)
    _commit(repo, "runs:\n  using: node20\ninputs:\n  x: {}\n", "2024-05-06", "v1.0.0", "v1")
    _commit(repo, "runs:\n  using: node24\ninputs:\n  x: {}\n  y: {}\n", "2026-02-03", "v2.0.0")
    subprocess.run(["git", "tag", "latest"], cwd=repo, check=True)
    facts, output = _facts(tmp_path / "facts"), tmp_path / "knowledge.json"
    git = ["--actions-from-git", str(tmp_path / "git"), "--action", "acme/setup"]
    result = _refresh("--from", str(facts), "--output", str(output), *git)
    assert result.returncode == 0, result.stderr
    built = from_data(json.loads(output.read_text()))
    releases = {release.tag: release for release in built.releases("acme/setup")}
    assert set(releases) == {"v1", "v1.0.0", "v2.0.0"}
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True
    )
    assert releases["v2.0.0"].sha == head.stdout.strip()  # the commit, not the tag object
    assert releases["v1"].sha == releases["v1.0.0"].sha != releases["v2.0.0"].sha
    assert (releases["v1"].date, releases["v1"].using) == ("2024-05-06", "node20")
    assert releases["v2.0.0"].inputs == {"x", "y"} and releases["v1"].inputs == {"x"}
    assert built.newest_major("acme/setup") == 2
    assert built.as_of == "2026-05-06"  # the image facts are newer here
