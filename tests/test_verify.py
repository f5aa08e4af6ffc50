"""`modernize verify`: codes, severities, exit codes, suppressions and machine formats."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.helpers import run_cli

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"

GOOD_DOCKERFILE = (
    "FROM python:3.12-slim AS build\nRUN pip install --prefix=/install .\n"
    "FROM python:3.12-slim\nCOPY --from=build /install /usr/local\nUSER app\n"
    "HEALTHCHECK CMD python -c 'print(1)'\n"
)
# The final stage inherits USER and HEALTHCHECK from the stages it is built on.
INHERITED_DOCKERFILE = (
    "FROM python:3.12-slim AS base\nUSER app\nHEALTHCHECK CMD true\n"
    "FROM base AS app\nRUN true\nFROM app AS final\nCOPY . /app\n"
)
GOOD_COMPOSE = (
    "services:\n  db:\n    image: postgres:16\n    healthcheck:\n      test: pg_isready\n"
    "    volumes:\n      - pgdata:/var/lib/postgresql/data\n"
    "  cache:\n    image: redis:7\n    healthcheck:\n      test: redis-cli ping\n"
    "volumes:\n  pgdata: {}\n"
)
GOOD_MAKEFILE = (
    "help:\n\t@echo help\ninstall:\n\tpip install -e .\nlint:\n\truff check .\n"
    "typecheck:\n\tmypy\ntest:\n\tpytest\nci: lint typecheck test\n"
)
GOOD_RENDER = (
    "services:\n  - type: web\n    name: app\n    autoDeploy: true\n    healthCheckPath: /health\n"
)

# (file name, passing text, failing text, expected code)
RULE_CASES = [
    ("Dockerfile", GOOD_DOCKERFILE, GOOD_DOCKERFILE.replace("USER app\n", ""), "DF001"),
    ("Dockerfile", GOOD_DOCKERFILE, GOOD_DOCKERFILE.replace("USER app", "USER root"), "DF001"),
    ("Dockerfile", GOOD_DOCKERFILE, GOOD_DOCKERFILE.replace("USER app", "USER 0:1000"), "DF001"),
    ("Dockerfile", GOOD_DOCKERFILE, GOOD_DOCKERFILE.replace("USER app", "USER root:app"), "DF001"),
    ("Dockerfile", INHERITED_DOCKERFILE, INHERITED_DOCKERFILE.replace("USER app\n", ""), "DF001"),
    ("Dockerfile", GOOD_DOCKERFILE, GOOD_DOCKERFILE.replace("HEALTHCHECK CMD", "# CMD"), "DF002"),
    (
        "Dockerfile",
        INHERITED_DOCKERFILE,
        INHERITED_DOCKERFILE.replace("HEALTHCHECK CMD true\n", ""),
        "DF002",
    ),
    (
        "Dockerfile",
        GOOD_DOCKERFILE,
        "FROM python:3.12-slim\nRUN pip install .\nUSER app\nHEALTHCHECK CMD true\n",
        "DF003",
    ),
    (
        "compose.yaml",
        GOOD_COMPOSE,
        GOOD_COMPOSE.replace("    healthcheck:\n      test: redis-cli ping\n", ""),
        "CP001",
    ),
    (
        "compose.yaml",
        GOOD_COMPOSE,
        GOOD_COMPOSE.replace("test: redis-cli ping", "disable: true"),
        "CP001",
    ),
    (
        "compose.yaml",
        GOOD_COMPOSE,
        GOOD_COMPOSE.replace("test: redis-cli ping", 'test: ["NONE"]'),
        "CP001",
    ),
    ("compose.yaml", GOOD_COMPOSE, GOOD_COMPOSE.replace("test: pg_isready", "test: NONE"), "CP001"),
    (
        "compose.yaml",
        GOOD_COMPOSE,
        GOOD_COMPOSE.replace("pgdata:/var/lib/postgresql/data", "./db:/var/lib/postgresql/data"),
        "CP002",
    ),
    ("compose.yaml", GOOD_COMPOSE, GOOD_COMPOSE.replace("redis:7", "redis:6.2"), "M013"),
    ("compose.yaml", GOOD_COMPOSE, GOOD_COMPOSE.replace("postgres:16", "postgres:14"), "M003"),
    ("compose.yaml", GOOD_COMPOSE, 'version: "3"\n' + GOOD_COMPOSE, "M002"),
    ("render.yaml", GOOD_RENDER, GOOD_RENDER.replace("    autoDeploy: true\n", ""), "RD001"),
    (
        "render.yaml",
        GOOD_RENDER,
        GOOD_RENDER.replace("    healthCheckPath: /health\n", ""),
        "RD002",
    ),
    (
        "render.yaml",
        GOOD_RENDER.replace("autoDeploy: true", "autoDeployTrigger: commit"),
        GOOD_RENDER.replace("    autoDeploy: true\n", ""),
        "RD001",
    ),
    (
        "render.yaml",
        "services:\n  - type: keyvalue\n    name: cache\n",
        "services:\n  - type: worker\n    name: jobs\n",
        "RD001",
    ),
    (
        "render.yaml",
        GOOD_RENDER.replace("    healthCheckPath: /health\n", "    runtime: static\n"),
        GOOD_RENDER.replace("    healthCheckPath: /health\n", "    runtime: python\n"),
        "RD002",
    ),
    (
        "render.yaml",
        GOOD_RENDER.replace("    healthCheckPath: /health\n", "    env: static\n"),
        GOOD_RENDER.replace("    healthCheckPath: /health\n", "    env: node\n"),
        "RD002",
    ),
    ("Makefile", GOOD_MAKEFILE, GOOD_MAKEFILE.replace("lint:\n", "style:\n"), "MK001"),
    (
        "Makefile",
        GOOD_MAKEFILE,
        GOOD_MAKEFILE.replace("ci: lint typecheck test", "ci: lint test"),
        "MK002",
    ),
    (
        "Makefile",
        GOOD_MAKEFILE.replace(
            "ci: lint typecheck test", "CHECKS := lint typecheck\nci: $(CHECKS) test"
        ),
        GOOD_MAKEFILE.replace("ci: lint typecheck test", "CHECKS := lint\nci: $(CHECKS) test"),
        "MK002",
    ),
    (
        "Makefile",
        GOOD_MAKEFILE,
        GOOD_MAKEFILE.replace("ci: lint typecheck test", "ci: lint test\n\t# mypy later"),
        "MK002",
    ),
    (
        "Makefile",
        GOOD_MAKEFILE,
        GOOD_MAKEFILE.replace("ci: lint typecheck test", 'ci: lint test\n\t@echo "mypy; later"'),
        "MK002",
    ),
    ("Makefile", GOOD_MAKEFILE, GOOD_MAKEFILE + "up:\n\tdocker-compose up\n", "M006"),
]


@pytest.mark.parametrize(("name", "good", "bad", "code"), RULE_CASES)
def test_each_rule_passes_and_fails(
    tmp_path: Path, name: str, good: str, bad: str, code: str
) -> None:
    (tmp_path / name).write_text(good)
    passing = run_cli(["verify", "--format", "json"], tmp_path)
    assert code not in {f["code"] for f in json.loads(passing.stdout)["findings"]}
    assert passing.exit_code == 0
    (tmp_path / name).write_text(bad)
    failing = run_cli(["verify", "--format", "json"], tmp_path)
    found = [f for f in json.loads(failing.stdout)["findings"] if f["code"] == code]
    assert found, failing.stdout
    assert failing.exit_code == (1 if found[0]["severity"] == "error" else 0)


def _postgres_compose(image: str, mount: str, environment: str = "") -> str:
    return (
        f"services:\n  db:\n    image: {image}\n{environment}    healthcheck:\n"
        f"      test: pg_isready\n    volumes:\n      - {mount}\nvolumes:\n  pgdata: {{}}\n"
    )


@pytest.mark.parametrize(
    ("image", "mount", "environment", "advice"),
    [
        ("postgres:16", "pgdata:/var/lib/postgresql/data", "", None),
        ("postgres:17-alpine", "pgdata:/var/lib/postgresql/data/", "", None),
        ("postgres:18", "pgdata:/var/lib/postgresql", "", None),
        ("postgis/postgis:18-3.6", "pgdata:/var/lib/postgresql", "", None),
        ("postgres", "pgdata:/var/lib/postgresql", "", None),  # no major: either layout
        ("postgres:latest", "pgdata:/var/lib/postgresql/data", "", None),
        # PGDATA below the mount keeps the data in it.
        ("postgres:16", "pgdata:/pg", "    environment:\n      PGDATA: /pg/data\n", None),
        (
            "postgres:16",
            "./db:/var/lib/postgresql/data",
            "",
            "mount one at /var/lib/postgresql/data",
        ),
        ("postgres:18", "./db:/var/lib/postgresql", "", "mount one at /var/lib/postgresql)"),
        # 14-17 declare their volume at .../data: a volume above it is shadowed by it.
        (
            "postgres:14",
            "pgdata:/var/lib/postgresql",
            "",
            "postgres 14 keeps its data in /var/lib/postgresql/data "
            "(mount it at /var/lib/postgresql/data)",
        ),
        (
            "postgres:18-alpine",
            "pgdata:/var/lib/postgresql/data",
            "",
            "postgres 18 keeps its data in /var/lib/postgresql/18/docker "
            "(mount it at /var/lib/postgresql)",
        ),
        ("postgres", "./db:/var/lib/postgresql", "", "for postgres 17 and before, at"),
    ],
)
def test_cp002_names_the_data_path_of_the_images_major(
    tmp_path: Path, image: str, mount: str, environment: str, advice: str | None
) -> None:
    (tmp_path / "compose.yaml").write_text(_postgres_compose(image, mount, environment))
    result = run_cli(["verify", "--no-external", "--format", "json"], tmp_path)
    found = [f["message"] for f in json.loads(result.stdout)["findings"] if f["code"] == "CP002"]
    if advice is None:
        assert found == []
    else:
        assert len(found) == 1
        assert advice in found[0]


_ACTION = "name: lint\nruns:\n  using: 'docker'\n  image: 'Dockerfile'\n"
_ROOT_IMAGE = 'FROM python:3.12-slim\nCOPY run.sh /run.sh\nENTRYPOINT ["/run.sh"]\n'


@pytest.mark.parametrize(
    ("files", "flagged"),
    [
        ({"Dockerfile": _ROOT_IMAGE}, True),
        # The official database images start their server as their own user.
        ({"Dockerfile": "FROM postgres:16\nCOPY init.sql /docker-entrypoint-initdb.d/\n"}, False),
        ({"db/Dockerfile": "FROM docker.io/library/redis:7-alpine\nUSER root\n"}, False),
        ({"Dockerfile": "FROM ghcr.io/acme/postgres:16\n"}, True),  # someone else's image
        ({"Dockerfile": "FROM gcr.io/distroless/python3-debian12:nonroot\nCOPY . /app\n"}, False),
        ({"Dockerfile": "FROM gcr.io/distroless/python3-debian12:latest\nCOPY . /app\n"}, True),
        ({".devcontainer/Dockerfile": _ROOT_IMAGE}, False),
        # GitHub runs a Docker container action as root and asks for no USER.
        (
            {
                ".github/actions/lint/Dockerfile": _ROOT_IMAGE,
                ".github/actions/lint/action.yml": _ACTION,
            },
            False,
        ),
        (
            {
                "Dockerfile": _ROOT_IMAGE,
                "action.yaml": _ACTION.replace("'Dockerfile'", "./Dockerfile"),
            },
            False,
        ),
        # An action that runs a published image, or a composite one, does not build this file.
        (
            {
                "Dockerfile": _ROOT_IMAGE,
                "action.yml": _ACTION.replace("'Dockerfile'", "docker://alpine:3"),
            },
            True,
        ),
        (
            {"Dockerfile": _ROOT_IMAGE, "action.yml": "runs:\n  using: composite\n  steps: []\n"},
            True,
        ),
    ],
)
def test_df001_holds_only_where_the_user_is_the_dockerfiles_to_set(
    tmp_path: Path, files: dict[str, str], flagged: bool
) -> None:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    result = run_cli(["verify", "--no-external", "--format", "json"], tmp_path)
    codes = {f["code"] for f in json.loads(result.stdout)["findings"]}
    assert ("DF001" in codes) is flagged, result.stdout
    # A devcontainer or an action is not a deployed service: no DF rule holds for it.
    not_deployed = (
        any(".devcontainer" in name or "action" in name for name in files) and not flagged
    )
    assert not_deployed is not any(code.startswith("DF") for code in codes)


def _codes(result_stdout: str) -> set[tuple[str, str]]:
    return {(f["path"], f["code"]) for f in json.loads(result_stdout)["findings"]}


def test_makefile_rules_hold_for_the_project_makefile_only(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "Makefile").write_text("help:\n\tsphinx-build -M help . _build\n")
    (tmp_path / "rules.mk").write_text("lint:\n\truff check .\n")
    passing = run_cli(["verify", "--no-external", "--format", "json"], tmp_path)
    assert _codes(passing.stdout) == set()
    hook = run_cli(["verify", "--no-external", "--format", "json", "docs/Makefile"], tmp_path)
    assert _codes(hook.stdout) == set()
    (tmp_path / "Makefile").write_text("help:\n\t@echo help\n")
    failing = run_cli(["verify", "--no-external", "--format", "json"], tmp_path)
    assert _codes(failing.stdout) == {("Makefile", "MK001"), ("Makefile", "MK002")}
    hook = run_cli(["verify", "--no-external", "--format", "json", "Makefile"], tmp_path)
    assert _codes(hook.stdout) == {("Makefile", "MK001"), ("Makefile", "MK002")}


def test_targets_of_included_makefiles_count(tmp_path: Path) -> None:
    (tmp_path / "Makefile").write_text(
        "include common.mk\n-include checks/ci.mk\nsinclude missing.mk $(LOCAL).mk\n"
        "help:\n\t@echo help\ninstall:\n\tpip install -e .\n"
    )
    (tmp_path / "common.mk").write_text("lint:\n\truff check .\ntest:\n\tpytest\n")
    (tmp_path / "checks").mkdir()
    (tmp_path / "checks" / "ci.mk").write_text("typecheck:\n\tmypy\nci: lint typecheck test\n")
    passing = run_cli(["verify", "--no-external", "--format", "json"], tmp_path)
    assert _codes(passing.stdout) == set()
    (tmp_path / "checks" / "ci.mk").unlink()
    failing = run_cli(["verify", "--no-external", "--format", "json"], tmp_path)
    assert _codes(failing.stdout) == {("Makefile", "MK002")}


def test_rules_apply_only_where_the_thing_exists(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("nothing to check\n")
    result = run_cli(["verify"], tmp_path)
    assert result.exit_code == 0
    assert result.stdout == ""


def test_legacy_repository_fails_then_only_refusals_remain_after_apply(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "examples" / "legacy-repo", repo)
    before = run_cli(["verify", "--format", "json"], repo)
    assert before.exit_code == 1
    stale = {f["path"] for f in json.loads(before.stdout)["findings"] if f["severity"] == "error"}
    assert stale == {
        ".github/workflows/ci.yml",
        ".python-version",
        "Dockerfile",
        "Makefile",
        "docker-compose.yml",
        "pyproject.toml",
        "render.yaml",
    }
    assert run_cli(["apply"], repo).exit_code == 0
    after = run_cli(["verify", "--format", "json"], repo)
    errors = [f for f in json.loads(after.stdout)["findings"] if f["severity"] == "error"]
    # What apply refused, and said so: the managed database.
    assert [(f["path"], f["line"], f["code"]) for f in errors] == [("render.yaml", 19, "M009")]
    assert after.exit_code == 1


def test_a_sha_pin_of_unknown_version_is_a_warning_and_one_below_the_standard_an_error(
    tmp_path: Path,
) -> None:
    workflow = tmp_path / ".github" / "workflows" / "ci.yml"
    workflow.parent.mkdir(parents=True)
    # Commits the shipped knowledge does not know (a fork's, or one newer than it).
    steps = [
        "actions/checkout@0123456789abcdef0123456789abcdef01234567",
        "actions/cache@89abcdef0123456789abcdef0123456789abcdef # 2023-09-15",
        "actions/setup-python@fedcba9876543210fedcba9876543210fedcba98 # v7.0.0",
    ]
    workflow.write_text(
        "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
        + "".join(f"      - uses: {step}\n" for step in steps)
    )
    unknown = run_cli(["verify", "--no-external", "--format", "json"], tmp_path)
    assert unknown.exit_code == 0, unknown.stdout
    findings = json.loads(unknown.stdout)["findings"]
    assert [(f["line"], f["code"], f["severity"]) for f in findings] == [
        (6, "M004", "warning"),
        (7, "M004", "warning"),
    ]
    assert all("cannot be known offline" in f["message"] for f in findings)
    workflow.write_text(workflow.read_text().replace("# v7.0.0", "# v4.7.1"))
    below = run_cli(["verify", "--no-external", "--format", "json"], tmp_path)
    assert below.exit_code == 1
    errors = [f for f in json.loads(below.stdout)["findings"] if f["severity"] == "error"]
    assert [(f["line"], f["code"]) for f in errors] == [(8, "M004")]


def test_strict_turns_warnings_into_errors(tmp_path: Path) -> None:
    (tmp_path / "render.yaml").write_text(GOOD_RENDER.replace("    autoDeploy: true\n", ""))
    assert run_cli(["verify"], tmp_path).exit_code == 0
    strict = run_cli(["verify", "--strict"], tmp_path)
    assert strict.exit_code == 1
    assert strict.stdout == "render.yaml:2: error RD001 service 'app' does not set autoDeploy\n"


def test_inline_and_file_suppressions(tmp_path: Path) -> None:
    dockerfile = GOOD_DOCKERFILE.replace("HEALTHCHECK CMD python -c 'print(1)'\n", "")
    (tmp_path / "Dockerfile").write_text(dockerfile)
    assert "DF002" in run_cli(["verify", "--no-external"], tmp_path).stdout
    (tmp_path / "Dockerfile").write_text(
        dockerfile.replace(
            "FROM python:3.12-slim\nCOPY",
            "# a one-shot CLI has nothing to health-check  modernize: ignore[DF002]\n"
            "FROM python:3.12-slim\nCOPY",
        )
    )
    assert run_cli(["verify", "--no-external"], tmp_path).stdout == ""
    (tmp_path / "Dockerfile").write_text("# modernize: ignore-file[DF001,DF002]\n" + dockerfile)
    assert run_cli(["verify", "--no-external"], tmp_path).stdout == ""
    (tmp_path / "Dockerfile").write_text("# modernize: ignore-file[DF001]\n" + dockerfile)
    assert "DF002" in run_cli(["verify", "--no-external"], tmp_path).stdout


UNSAFE_DOCKERFILE = "FROM python:3.12-slim AS build\nRUN true\n{}\nFROM python:3.12-slim\n"
STALE_COMPOSE = "services:\n  cache:\n    {}\n    image: redis:6\n"


# (file name, text, codes left): markers are read in comments only, codes in any case
@pytest.mark.parametrize(
    ("name", "text", "left"),
    [
        ("Dockerfile", UNSAFE_DOCKERFILE.format("# modernize: ignore[df002]"), {"DF001"}),
        ("Dockerfile", UNSAFE_DOCKERFILE.format("# modernize: ignore [DF002]"), {"DF001"}),
        ("Dockerfile", UNSAFE_DOCKERFILE.format("# modernize: ignore[DF002, DF001]"), set()),
        ("Dockerfile", UNSAFE_DOCKERFILE.format("# modernize: ignore"), set()),
        (
            "Dockerfile",
            UNSAFE_DOCKERFILE.format("# modernize: ignore[DF002;DF001]"),
            {"DF001", "DF002"},
        ),
        ("Dockerfile", UNSAFE_DOCKERFILE.format("# modernize: ignore[DF002"), {"DF001", "DF002"}),
        (
            "Dockerfile",
            UNSAFE_DOCKERFILE.format('RUN echo "modernize: ignore"'),
            {"DF001", "DF002"},
        ),
        ("compose.yaml", STALE_COMPOSE.format("# modernize: ignore[cp001,m013]"), set()),
        (
            "compose.yaml",
            STALE_COMPOSE.format("command: [sh, '# modernize: ignore']"),
            {"CP001", "M013"},
        ),
        ("compose.yaml", STALE_COMPOSE.format('command: "modernize: ignore"'), {"CP001", "M013"}),
    ],
)
def test_suppression_markers(tmp_path: Path, name: str, text: str, left: set[str]) -> None:
    (tmp_path / name).write_text(text)
    result = run_cli(["verify", "--no-external", "--format", "json"], tmp_path)
    assert {f["code"] for f in json.loads(result.stdout)["findings"]} == left


def test_unparseable_file_is_an_error_finding(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text("services:\n  web: [\n")
    result = run_cli(["verify"], tmp_path)
    assert result.exit_code == 1
    assert result.stdout.startswith("compose.yaml:3: error E001 invalid YAML")


@pytest.mark.parametrize(
    ("name", "good", "bad", "message"),
    [
        ("Dockerfile", GOOD_DOCKERFILE.encode(), b"FROM python:3.12\xe9\n", "not UTF-8"),
        (
            "compose.yaml",
            GOOD_COMPOSE.encode(),
            GOOD_COMPOSE.replace("  cache:", "{% if cache %}\n  cache:").encode(),
            "a template",
        ),
    ],
)
def test_a_file_that_could_not_be_checked_fails_verify_not_apply(
    tmp_path: Path, name: str, good: bytes, bad: bytes, message: str
) -> None:
    (tmp_path / name).write_bytes(good)
    assert run_cli(["verify", "--no-external"], tmp_path).exit_code == 0
    (tmp_path / name).write_bytes(bad)
    result = run_cli(["verify", "--no-external", "--format", "json"], tmp_path)
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["code"], finding["severity"]) == ("E001", "error")
    assert finding["message"].startswith(message)
    assert result.exit_code == 1
    applied = run_cli(["apply"], tmp_path)  # apply passes over it with a warning
    assert applied.exit_code == 0
    (warning,) = applied.warnings
    assert warning.startswith(f"{name}:1: warning: {message}")
    assert (tmp_path / name).read_bytes() == bad


def test_sarif_shape(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        'version: "3"\n' + GOOD_COMPOSE.replace("redis:7", "redis:6")
    )
    sarif = json.loads(run_cli(["verify", "--format", "sarif"], tmp_path).stdout)
    assert sarif["version"] == "2.1.0"
    assert sarif["$schema"].endswith("sarif-2.1.0.json")
    (run,) = sarif["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "modernize"
    rule_ids = [rule["id"] for rule in driver["rules"]]
    assert len(rule_ids) == len(set(rule_ids))
    results = run["results"]
    assert {result["ruleId"] for result in results} == {"M002", "M013"}
    for result in results:
        assert result["level"] in ("error", "warning", "note")
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "compose.yaml"
        assert location["region"]["startLine"] >= 1
        assert result["message"]["text"]


def _sarif_uris(args: list[str], cwd: Path) -> set[tuple[str, str]]:
    sarif = json.loads(run_cli(["verify", "--no-external", "--format", "sarif", *args], cwd).stdout)
    return {
        (location["uri"], location["uriBaseId"])
        for result in sarif["runs"][0]["results"]
        for location in (result["locations"][0]["physicalLocation"]["artifactLocation"],)
    }


def test_sarif_uris_are_relative_to_the_repository_and_percent_encoded(tmp_path: Path) -> None:
    repo = tmp_path / "my repo"
    (repo / "svc #1").mkdir(parents=True)
    (repo / "svc #1" / "compose.yaml").write_text('version: "3"\n' + GOOD_COMPOSE)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    expected = {("svc%20%231/compose.yaml", "%SRCROOT%")}
    # The usual CI case: an absolute PATH ($GITHUB_WORKSPACE), from another directory.
    assert _sarif_uris([str(repo)], elsewhere) == expected
    assert _sarif_uris(["../my repo"], elsewhere) == expected
    assert _sarif_uris(["."], repo) == expected
    # PATH inside the current directory: relative to the current directory.
    assert _sarif_uris(["svc #1"], repo) == expected
    # In a git repository: relative to its root, wherever PATH and the current directory are.
    (repo / ".git").mkdir()
    assert _sarif_uris(["."], repo / "svc #1") == expected
    assert _sarif_uris([str(repo / "svc #1")], elsewhere) == expected


validators = pytest.importorskip("modernize.standards.validators")


@pytest.mark.skipif(
    not all(validators.available().values()), reason="the [validate] extra is not installed"
)
def test_optional_validators_fold_into_findings(tmp_path: Path) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "bad.yml").write_text("on: push\njobs:\n  a:\n    runs-on: x\n    stepz: []\n")
    (tmp_path / "Dockerfile").write_text(
        "FROM python:3.12 AS b\nRUN <<EOF\necho\nEOF\nFROM python:3.12\nUSER app\n"
        "HEALTHCHECK CMD true\n"
    )
    (tmp_path / "Dockerfile.dev").write_text(
        "FROM python:3.12-slim AS b\nFROM python:3.12-slim\n"
        'RUN apt-get update && apt-get install -y curl\nUSER 1000\nHEALTHCHECK CMD ["true"]\n'
    )
    result = run_cli(["verify", "--format", "json"], tmp_path)
    findings = json.loads(result.stdout)["findings"]
    codes = {(f["path"], f["code"], f["severity"]) for f in findings}
    assert (".github/workflows/bad.yml", "V001", "error") in codes
    assert ("Dockerfile", "V000", "note") in codes  # hadolint cannot read the heredoc
    assert ("Dockerfile.dev", "DL3008", "warning") in codes
    schema_error = next(f for f in findings if f["code"] == "V001")
    assert schema_error["line"] == 4 and "stepz" in schema_error["message"]
    strict = json.loads(run_cli(["verify", "--strict", "--format", "json"], tmp_path).stdout)
    assert {f["severity"] for f in strict["findings"] if f["code"] == "V000"} == {"note"}
    quiet = json.loads(run_cli(["verify", "--no-external", "--format", "json"], tmp_path).stdout)
    assert not [f for f in quiet["findings"] if f["code"].startswith(("V0", "DL"))]


@pytest.mark.skipif(
    not all(validators.available().values()), reason="the [validate] extra is not installed"
)
def test_files_named_as_paths_start_each_validator_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    for name in ("a", "b", "c"):
        (workflows / f"{name}.yml").write_text(
            f"on: push\njobs:\n  {name}:\n    runs-on: x\n    stepz: []\n"
        )
    (tmp_path / "Dockerfile").write_text(
        "FROM python:3.12-slim AS b\nFROM python:3.12-slim\n"
        'RUN apt-get update && apt-get install -y curl\nUSER 1000\nHEALTHCHECK CMD ["true"]\n'
    )
    whole = json.loads(run_cli(["verify", "--strict", "--format", "json"], tmp_path).stdout)
    calls: list[list[str]] = []
    real_run = validators._run

    def counting_run(command: list[str], **options: bool) -> str:
        calls.append(command)
        return str(real_run(command, **options))

    monkeypatch.setattr(validators, "_run", counting_run)
    named = [".github/workflows/a.yml", ".github/workflows/b.yml", ".github/workflows/c.yml"]
    result = run_cli(["verify", "--strict", "--format", "json", *named, "Dockerfile"], tmp_path)
    assert [c for c in calls if "check_jsonschema" in c] == [calls[0]]  # one run, three files
    assert sum(1 for part in calls[0] if part.endswith(".yml")) == 3
    by_paths = json.loads(result.stdout)["findings"]
    assert sorted(by_paths, key=repr) == sorted(whole["findings"], key=repr)
    assert {f["path"] for f in by_paths if f["code"] == "V001"} == set(named)


def _alias_bomb() -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    return "services:\n  x:\n    image: postgres:14\n" + "\n".join(lines) + "\n"


def test_an_alias_bomb_is_never_expanded(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(_alias_bomb())
    applied = run_cli(["apply", "--dry-run"], tmp_path)
    assert applied.exit_code == 1 and "+    image: postgres:16" in applied.stdout
    result = run_cli(["verify", "--format", "json"], tmp_path)
    findings = json.loads(result.stdout)["findings"]
    assert "M003" in {f["code"] for f in findings}
    if validators.available()["check-jsonschema"]:
        # Not handed to the validator at all: one that expanded the bomb and was stopped by
        # its timeout would give a V000 too, with another reason.
        assert {(f["code"], f["message"]) for f in findings if f["code"].startswith("V")} == {
            ("V000", "not checked by check-jsonschema: too many aliases")
        }


def test_a_refused_block_scalar_python_version_is_an_error_finding(tmp_path: Path) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "ci.yml").write_text(
        "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/setup-python@v7\n        with:\n"
        "          python-version: |\n            3.10\n            3.11\n"
    )
    result = run_cli(["verify", "--format", "json"], tmp_path)
    findings = json.loads(result.stdout)["findings"]
    assert [(f["path"], f["line"], f["code"], f["severity"]) for f in findings] == [
        (".github/workflows/ci.yml", 8, "M005", "error")
    ]
    assert result.exit_code == 1


def test_a_symbolic_link_out_of_the_repository_is_a_warning_not_an_error(tmp_path: Path) -> None:
    outside = tmp_path / "shared"
    outside.mkdir()
    (outside / "compose.yaml").write_text("services:\n  db:\n    image: postgres:16\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "compose.yaml").symlink_to(outside / "compose.yaml")
    result = run_cli(["verify", "--format", "json", "."], repo)
    findings = json.loads(result.stdout)["findings"]
    assert [(f["path"], f["code"], f["severity"]) for f in findings] == [
        ("compose.yaml", "E001", "warning")
    ]
    assert result.exit_code == 0


def _raise(*_args: object) -> object:
    raise RuntimeError("broken on purpose")


def test_a_check_that_raises_is_an_e002_finding_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from modernize.standards import render

    monkeypatch.setattr(render, "check", _raise)
    (tmp_path / "render.yaml").write_text(GOOD_RENDER)
    (tmp_path / "Dockerfile").write_text("FROM python:3.9\n")
    result = run_cli(["verify", "--no-external", "--format", "json", "."], tmp_path)
    assert result.exit_code == 2
    findings = json.loads(result.stdout)["findings"]
    internal = [f for f in findings if f["code"] == "E002"]
    assert internal == [
        {
            "path": "render.yaml",
            "line": 1,
            "code": "E002",
            "severity": "error",
            "message": "internal error checking render.yaml (render standards): RuntimeError: "
            "broken on purpose; please report",
        }
    ]
    # The other file, and the migrations' checks of the same file, still ran.
    assert {f["code"] for f in findings if f["path"] == "Dockerfile"} >= {"M001", "DF001"}


def test_an_internal_error_is_not_silenced_by_an_ignore_marker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from modernize.standards import render

    monkeypatch.setattr(render, "check", _raise)
    (tmp_path / "render.yaml").write_text("# modernize: ignore-file\n" + GOOD_RENDER)
    result = run_cli(["verify", "--no-external", "."], tmp_path)
    assert result.exit_code == 2
    assert "render.yaml:1: error E002 internal error checking render.yaml" in result.stdout


def test_deeply_nested_annotations_do_not_stop_verify(tmp_path: Path) -> None:
    nested = "Optional[" * 100 + "int" + "]" * 100
    (tmp_path / "deep.py").write_text(f"from typing import Optional\nx: {nested} = None\n")
    (tmp_path / "other.py").write_text("from typing import Optional\nx: Optional[int] = None\n")
    result = run_cli(["verify", "--no-external", "--only", "python-typing", "."], tmp_path)
    # Checked whole or reported as an internal error: either way, the other file is checked.
    assert result.exit_code in (1, 2)
    assert "other.py:2: error M011" in result.stdout
    assert "Traceback" not in result.stderr


def test_a_redis_tag_in_other_digits_is_not_read_as_a_major(tmp_path: Path) -> None:
    compose = GOOD_COMPOSE.replace("redis:7", "redis:\uff16")  # a fullwidth 6
    (tmp_path / "compose.yaml").write_text(compose)
    result = run_cli(["verify", "--no-external", "."], tmp_path)
    assert "M013" not in result.stdout
    assert result.exit_code == 0
