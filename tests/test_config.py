"""[tool.modernize] and .modernize.toml: applied, validated, and overridden by flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run_cli

COMPOSE = "services:\n  db:\n    image: postgres:14\n"
WORKFLOW = "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v7\n"


def _repo(tmp_path: Path, config_name: str, config: str) -> Path:
    (tmp_path / "docker-compose.yml").write_text(COMPOSE)
    (tmp_path / "Dockerfile").write_text("FROM python:3.11-slim\n")
    (tmp_path / ".github/workflows").mkdir(parents=True)
    (tmp_path / ".github/workflows/ci.yml").write_text(WORKFLOW)
    (tmp_path / config_name).write_text(config)
    return tmp_path


@pytest.mark.parametrize(
    ("name", "config"),
    [
        (
            "pyproject.toml",
            '[project]\nname = "x"\n\n[tool.modernize]\npython = "3.13"\npostgres = 17\n'
            'actions = { "actions/checkout" = "v8" }\n',
        ),
        (
            ".modernize.toml",
            'python = "3.13"\npostgres = "17"\nactions = { "actions/checkout" = 8 }\n',
        ),
    ],
)
def test_config_sets_targets(tmp_path: Path, name: str, config: str) -> None:
    result = run_cli(["apply", "--dry-run"], _repo(tmp_path, name, config))
    assert "+FROM python:3.13-slim" in result.stdout
    assert "+    image: postgres:17" in result.stdout
    assert "+      - uses: actions/checkout@v8" in result.stdout


def test_flags_win_over_the_file(tmp_path: Path) -> None:
    repo = _repo(tmp_path, ".modernize.toml", 'python = "3.13"\nskip = ["postgres-major"]\n')
    result = run_cli(["apply", "--dry-run", "--python", "3.12", "--skip", "action-versions"], repo)
    assert "+FROM python:3.12-slim" in result.stdout
    assert "+    image: postgres:16" in result.stdout  # --skip replaced the file's skip
    assert "checkout@v" not in result.stdout


def test_only_on_the_command_line_is_not_emptied_by_the_files_skip(tmp_path: Path) -> None:
    repo = _repo(tmp_path, ".modernize.toml", 'skip = ["postgres-major", "action-versions"]\n')
    result = run_cli(["apply", "--dry-run", "--only", "postgres-major"], repo)
    assert [line for line in result.stdout.splitlines() if line.startswith("+++")] == [
        "+++ b/docker-compose.yml"
    ]
    both = run_cli(["apply", "--dry-run", "--only", "postgres-major,action-versions"], repo)
    assert "+    image: postgres:16" in both.stdout
    assert "checkout@v" not in both.stdout  # already at the standard major
    skipped = run_cli(
        ["apply", "--dry-run", "--only", "postgres-major", "--skip", "postgres-major"], repo
    )
    assert skipped.stdout == ""


def test_only_and_skip_from_the_file(tmp_path: Path) -> None:
    repo = _repo(tmp_path, ".modernize.toml", 'only = ["python-base-image"]\n')
    result = run_cli(["apply", "--dry-run"], repo)
    assert [line for line in result.stdout.splitlines() if line.startswith("+++")] == [
        "+++ b/Dockerfile"
    ]


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (
            "[tool.modernize]\npyhton = '3.13'\n",
            "pyproject.toml:2: error: tool.modernize.pyhton: unknown key",
        ),
        (
            "[tool.modernize]\npython = 3.13\n",
            "pyproject.toml:2: error: tool.modernize.python: must be a string",
        ),
        (
            "[tool.modernize]\npython = '3.9.1'\n",
            "pyproject.toml:2: error: tool.modernize.python: python target",
        ),
        ("[tool.modernize]\npostgres = 'x'\n", "pyproject.toml:2: error: tool.modernize.postgres:"),
        (
            "[tool.modernize]\nskip = []\nredis = 'seven'\n",
            "pyproject.toml:3: error: tool.modernize.redis: redis target must be a major version",
        ),
        (
            "[tool.modernize]\nredis = 7.2\n",
            "pyproject.toml:2: error: tool.modernize.redis: must be a major version such as 7",
        ),
        (
            "[tool.modernize]\nskip = ['nope']\n",
            "pyproject.toml:2: error: tool.modernize.skip: unknown migration ID 'nope'",
        ),
        (
            "[tool.modernize]\nactions = { checkout = 'v4' }\n",
            "pyproject.toml:2: error: tool.modernize.actions:",
        ),
        (
            '[tool.modernize]\n\n[tool.modernize.actions]\n"actions/checkout" = "v4"\n'
            'checkout = "v4"\n',
            "pyproject.toml:5: error: tool.modernize.actions: checkout = 'v4'",
        ),
        # Digits that are not ASCII (a superscript 2, full-width 1, 2 and 3): never a traceback.
        (
            "[tool.modernize]\npython = '3.\u00b2'\n",
            "pyproject.toml:2: error: tool.modernize.python: python target must look like 3.12",
        ),
        (
            "[tool.modernize]\npython = '\uff13.\uff11\uff12'\n",
            "pyproject.toml:2: error: tool.modernize.python: python target must look like 3.12",
        ),
        (
            "[tool.modernize]\npostgres = '\u00b2'\n",
            "pyproject.toml:2: error: tool.modernize.postgres: postgres target must be a major",
        ),
        (
            "[tool.modernize]\nredis = '\uff13'\n",
            "pyproject.toml:2: error: tool.modernize.redis: redis target must be a major version",
        ),
        (
            "[tool.modernize]\nactions = { 'actions/checkout' = 'v\uff14' }\n",
            "pyproject.toml:2: error: tool.modernize.actions: actions/checkout = 'v\uff14'",
        ),
        (
            "[tool.modernize]\nactions = { 'actions/checkout' = \"v4\\n\" }\n",
            "pyproject.toml:2: error: tool.modernize.actions: actions/checkout = 'v4\\n'",
        ),
        ("[tool.modernize\n", "pyproject.toml:1: error: invalid TOML"),
    ],
)
def test_bad_configuration_is_an_error_naming_file_and_key(
    tmp_path: Path, config: str, expected: str
) -> None:
    repo = _repo(tmp_path, "pyproject.toml", config)
    result = run_cli(["apply"], repo)
    assert result.exit_code == 2
    assert result.stderr.startswith(expected), result.stderr
    assert (repo / "Dockerfile").read_text() == "FROM python:3.11-slim\n"


def test_config_is_found_from_a_subdirectory_but_not_above_the_repository(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    repo = _repo(tmp_path / "repo", ".modernize.toml", 'python = "3.13"\n')
    (repo / ".git").mkdir()
    (tmp_path / ".modernize.toml").write_text('python = "3.14"\n')
    (repo / "svc").mkdir()
    (repo / "svc/Dockerfile").write_text("FROM python:3.10\n")
    assert "+FROM python:3.13" in run_cli(["apply", "--dry-run", "svc"], repo).stdout
    (repo / ".modernize.toml").unlink()
    assert "+FROM python:3.12" in run_cli(["apply", "--dry-run", "svc"], repo).stdout


def test_exclude_patterns_from_the_configuration(tmp_path: Path) -> None:
    repo = _repo(tmp_path, ".modernize.toml", 'exclude = ["vendor/", "*.legacy.yml"]\n')
    (repo / "vendor").mkdir()
    (repo / "vendor/Dockerfile").write_text("FROM python:3.9\n")
    (repo / "compose.legacy.yml").write_text(COMPOSE)
    result = run_cli(["apply", "--dry-run"], repo)
    headers = sorted(line for line in result.stdout.splitlines() if line.startswith("+++ "))
    assert headers == [
        "+++ b/Dockerfile",
        "+++ b/docker-compose.yml",
    ]
    found = run_cli(["verify", "--no-external"], repo).stdout
    assert "vendor/" not in found and "legacy" not in found
    (repo / ".modernize.toml").write_text('exclude = "vendor/"\n')
    assert run_cli(["apply"], repo).exit_code == 2


def test_a_nested_project_takes_the_nearest_configuration_above_it(tmp_path: Path) -> None:
    # A package of a monorepo whose pyproject.toml has no [tool.modernize] takes the
    # repository root's, named alone (as a hook names it) or reached by the walk.
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.modernize]\npython = "3.11"\n')
    inner = tmp_path / "packages" / "api"
    inner.mkdir(parents=True)
    (inner / "pyproject.toml").write_text('[project]\nname = "api"\n')
    (inner / "Dockerfile").write_text("FROM python:3.10\n")
    for args in (["packages/api/Dockerfile"], ["packages/api"], ["."], []):
        result = run_cli(["apply", "--dry-run", *args], tmp_path)
        assert "+FROM python:3.11\n" in result.stdout, args
    # Its own table wins, for the walk from the root too.
    (inner / "pyproject.toml").write_text('[project]\nname = "api"\n[tool.modernize]\n')
    for args in (["packages/api/Dockerfile"], ["."]):
        result = run_cli(["apply", "--dry-run", *args], tmp_path)
        assert "+FROM python:3.12\n" in result.stdout, args


def _configured_monorepo(root: Path, services: int = 0) -> None:
    """A repository whose ``svc`` folder, and ``svc/inner`` below it, have settings of their
    own, with ``services`` more stale folders (enough for worker processes)."""
    (root / ".git").mkdir(parents=True)
    (root / "Dockerfile").write_text("FROM python:3.10\n")
    (root / "svc" / "inner").mkdir(parents=True)
    (root / "svc" / ".modernize.toml").write_text('python = "3.13"\n')
    (root / "svc" / "Dockerfile").write_text("FROM python:3.9-slim\n")
    (root / "svc" / "inner" / ".modernize.toml").write_text('python = "3.11"\n')
    (root / "svc" / "inner" / "Dockerfile").write_text("FROM python:3.10-alpine\n")
    for number in range(services):
        (root / f"s{number:03d}").mkdir()
        (root / f"s{number:03d}" / "Dockerfile").write_text("FROM python:3.10\n")


def test_each_folder_with_settings_of_its_own_runs_with_them_after_the_walk_finds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from modernize.workspace import files

    _configured_monorepo(tmp_path)
    walked: list[str] = []
    walk = files.configured_trees_below

    def recorded(root: Path, *args: object, **kwargs: object) -> list[str]:
        walked.append(root.as_posix())
        return walk(root, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(files, "configured_trees_below", recorded)
    result = run_cli(["apply", "--dry-run", "-v"], tmp_path)
    assert "+FROM python:3.12\n" in result.stdout  # the root's default
    assert "+FROM python:3.13-slim\n" in result.stdout  # svc's
    assert "+FROM python:3.11-alpine\n" in result.stdout  # svc/inner's
    headers = [line for line in result.stdout.splitlines() if line.startswith("+++ ")]
    assert headers == ["+++ b/Dockerfile", "+++ b/svc/Dockerfile", "+++ b/svc/inner/Dockerfile"]
    # Every configuration is said first, as when each was looked for before the run.
    settings = [line.split(":")[0] for line in result.stderr.splitlines()[:3]]
    assert settings == [
        "no configuration file (defaults)",
        "configuration svc/.modernize.toml",
        "configuration svc/inner/.modernize.toml",
    ]
    # The root's own walk found svc: the root is walked once, by its run; only the folders
    # with settings of their own are walked first, for theirs.
    assert walked == ["svc", "svc/inner"]


@pytest.mark.parametrize("bad", ["svc", "svc/inner"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_bad_configuration_below_stops_the_run_before_any_file_is_written(
    tmp_path: Path, bad: str, jobs: str
) -> None:
    import subprocess
    import sys

    from tests.helpers import snapshot

    _configured_monorepo(tmp_path, services=80)  # -j 2: the workers start during the walk
    (tmp_path / bad / ".modernize.toml").write_text("\nnosuch = 1\n")
    before = snapshot(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "modernize", "apply", "-j", jobs],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"{bad}/.modernize.toml:2: error: nosuch: unknown key")
    assert len(result.stderr.splitlines()) == 1, result.stderr  # no worker left to complain
    assert snapshot(tmp_path) == before


def test_the_search_stops_at_the_repository_root(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.modernize]\npython = "3.11"\n')
    repo = tmp_path / "checkout"
    (repo / ".git").mkdir(parents=True)
    (repo / "Dockerfile").write_text("FROM python:3.10\n")
    assert "+FROM python:3.12\n" in run_cli(["apply", "--dry-run"], repo).stdout


REDIS_COMPOSE = "services:\n  cache:\n    image: redis:7.2\n"


@pytest.mark.parametrize(
    ("name", "config"),
    [("pyproject.toml", "[tool.modernize]\nredis = 8\n"), (".modernize.toml", 'redis = "8"\n')],
)
def test_config_and_flag_set_the_redis_target(tmp_path: Path, name: str, config: str) -> None:
    (tmp_path / "compose.yaml").write_text(REDIS_COMPOSE)
    assert "M013" not in run_cli(["verify", "--no-external"], tmp_path).stdout  # 7 by default
    (tmp_path / name).write_text(config)
    found = run_cli(["verify", "--no-external"], tmp_path)
    stale = (
        "compose.yaml:3: error M013 redis image below the target major; would become: "
        "image: redis:8"
    )
    assert stale in found.stdout
    assert found.exit_code == 1
    flagged = run_cli(["verify", "--no-external", "--redis", "7"], tmp_path)  # the flag wins
    assert "M013" not in flagged.stdout and flagged.exit_code == 0


@pytest.mark.parametrize("name", [".modernize.toml", "pyproject.toml"])
def test_a_configuration_that_is_not_utf8_is_an_error_not_the_defaults(
    tmp_path: Path, name: str
) -> None:
    """Read as empty, its ``exclude`` was dropped and the excluded file rewritten."""
    table = "[tool.modernize]\n" if name == "pyproject.toml" else ""
    config = f'# r\xe9glages\n{table}exclude = ["Dockerfile"]\n'.encode("latin-1")
    repo = _repo(tmp_path, name, "")
    (repo / name).write_bytes(config)
    result = run_cli(["apply"], repo)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{name}:1: error: not UTF-8 (byte 0xe9)"), result.stderr
    assert (repo / "Dockerfile").read_text() == "FROM python:3.11-slim\n"
    assert (repo / "docker-compose.yml").read_text() == COMPOSE


def test_a_broken_pyproject_without_settings_is_reported_as_a_file(tmp_path: Path) -> None:
    """Not TOML, and no ``modernize`` in it: the run goes on, the file is its own error."""
    repo = _repo(tmp_path, "pyproject.toml", '[project]\nname = "x\n')
    result = run_cli(["apply", "--partial"], repo)
    assert result.exit_code == 2
    assert [line.split(": error: ")[0] for line in result.errors] == ["pyproject.toml:2"]
    assert (repo / "Dockerfile").read_text() == "FROM python:3.12-slim\n"


@pytest.mark.parametrize(
    "config",
    [
        '[tool."modernize"]\npython = "3.13"\n',
        "[tool . modernize]\npython = '3.13'\n",
        '[tool]\nmodernize = { python = "3.13" }\n',
        'tool.modernize.python = "3.13"\n',
        '[tool."\\u006dodernize"]\npython = "3.13"\n',
        '[tool]\nother = 1\n[tool.modernize]\npython = "3.13"\n',
    ],
)
def test_every_spelling_of_the_tool_modernize_table_is_read(tmp_path: Path, config: str) -> None:
    repo = _repo(tmp_path, "pyproject.toml", config + '\n[project]\nname = "x"\n')
    result = run_cli(["apply", "--dry-run"], repo)
    assert "+FROM python:3.13-slim" in result.stdout, result.stderr


def test_an_error_in_an_inline_tool_modernize_table_names_its_line(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "pyproject.toml", '[tool]\nx = 1\nmodernize = { pyhton = "3" }\n')
    result = run_cli(["apply"], repo)
    assert result.exit_code == 2
    assert result.stderr.startswith("pyproject.toml:3: error: tool.modernize.pyhton: unknown key")


def test_a_quoted_tool_modernize_header_names_the_line_of_its_error(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "pyproject.toml", '[project]\n\n[tool . "modernize"]\nonly = 1\n')
    result = run_cli(["apply"], repo)
    assert result.exit_code == 2
    assert result.stderr.startswith("pyproject.toml:4: error: tool.modernize.only:"), result.stderr
