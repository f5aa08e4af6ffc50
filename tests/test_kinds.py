"""The table of file kinds, and everything derived from it: the kinds a migration may declare,
discovery's name test and ``classify``, the parser a Document uses, the kinds whose comment
columns edits keep, the standards kinds, the validator's schemas and the pre-commit pattern."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from modernize import kinds, registry
from modernize.engine import planning as engine
from modernize.formats import document
from modernize.formats.dockerfile import Dockerfile
from modernize.formats.document import Document, Lines
from modernize.formats.ini import IniDocument
from modernize.formats.jsonc import JsoncDocument
from modernize.formats.toml import TomlDocument
from modernize.formats.yamldoc import YamlDocument
from modernize.standards import checking, checks_for, validators
from modernize.workspace import files

ROOT = Path(__file__).parent.parent
ROWS = kinds.FILE_KINDS
EXAMPLES = [(kind.name, path) for kind in ROWS for path in kind.examples]


def test_kind_names_are_the_rows() -> None:
    names = [kind.name for kind in ROWS]
    assert len(names) == len(set(names))
    assert frozenset(names) == kinds.KNOWN_KINDS
    assert registry.KNOWN_KINDS is kinds.KNOWN_KINDS
    assert {kind.name for kind in ROWS if kind.format == "yaml"} == kinds.YAML_KINDS
    assert document.YAML_KINDS is kinds.YAML_KINDS
    assert engine.COMMENTED_KINDS is kinds.COMMENTED_KINDS
    assert {kind.name for kind in ROWS if kind.trailing_comments} == kinds.COMMENTED_KINDS
    assert checking.STANDARD_KINDS is kinds.STANDARD_KINDS
    assert {kind.name for kind in ROWS if kind.standards} == kinds.STANDARD_KINDS
    assert validators.SCHEMAS is kinds.SCHEMAS
    assert {kind.name: kind.schema for kind in ROWS if kind.schema} == validators.SCHEMAS


@pytest.mark.parametrize(("kind", "path"), EXAMPLES)
def test_every_example_is_of_its_kind(kind: str, path: str) -> None:
    assert kinds.classify(path) == kind
    assert files.classify(path) == kind
    name = path.rsplit("/", 1)[-1]
    assert kinds.name_pattern(frozenset({kind})).fullmatch(name)
    assert re.search(kinds.hook_files_pattern(), path)


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (".github/workflows/Dockerfile.yml", "dockerfile"),  # the first row that fits
        (".github/workflows/compose.yml", "workflow"),
        (".github/workflows/action.yml", "workflow"),
        # GitHub reads the folder itself only: elsewhere a YAML file is read as a Kubernetes
        # manifest when its content says it is one.
        (".github/workflows/sub/ci.yml", "manifest"),
        ("workflows/ci.yml", "manifest"),
        (".github/ci.yml", "manifest"),
        ("Compose.yml", "manifest"),
        ("docker-compose.YML", "manifest"),
        ("charts/api/templates/db.yaml", "helm-template"),
        ("charts/api/values.yaml", "helm-values"),
        ("templates/x.json", None),
        ("Makefile.am", None),
        ("pyproject.toml.orig", None),
        ("Dockerfile\n", None),
        (".circleci/config.yml", "circleci"),
        ("svc/.circleci/config.yaml", "circleci"),
        ("ci/config.yml", "manifest"),
        (".github/workflows/config.yml", "workflow"),
    ],
)
def test_the_order_and_the_folders_of_the_rows_decide(path: str, kind: str | None) -> None:
    assert kinds.classify(path) == kind
    assert (re.search(kinds.hook_files_pattern(), path) is not None) == (kind is not None)


@pytest.mark.parametrize("kind", ROWS, ids=lambda kind: kind.name)
def test_a_row_names_no_path_and_fits_the_hooks_verbose_pattern(kind: kinds.FileKind) -> None:
    # The name rule is pasted into the (?x) hook pattern, between ``/`` and the end.
    assert not re.search(r"\s|#", kind.names)
    assert "(?P<" not in kind.names  # the kind is told by the enclosing named group
    assert "." not in re.sub(r"\\.|\[[^]]*\]|\(\?[^:)]*[:)]", "", kind.names)  # no `.` wildcard
    assert kind.examples
    assert kind.folder is None or len(kind.folder) in (1, 2)


@pytest.fixture(params=["remembered", "not remembered"])
def remembered_names(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A walk remembers the kinds of the first names it meets; past that, it tests each."""
    if request.param == "not remembered":
        monkeypatch.setattr("modernize.kinds._REMEMBERED_NAMES", 0)


@pytest.mark.usefixtures("remembered_names")
def test_discovery_finds_every_example_as_its_kind(tmp_path: Path) -> None:
    for _kind, path in EXAMPLES:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("\n", encoding="utf-8")
    # A workflow only in its folder: elsewhere a YAML file may be a Kubernetes manifest.
    (tmp_path / "ci.yml").write_text("\n", encoding="utf-8")
    found = {c.relative: c.kind for c in files.discover(tmp_path, kinds.KNOWN_KINDS)}
    assert found == dict((path, kind) for kind, path in EXAMPLES) | {"ci.yml": "manifest"}
    for kind in ROWS:  # one kind asked for: only its files
        only = {c.relative for c in files.discover(tmp_path, frozenset({kind.name}))}
        assert only == set(kind.examples) | ({"ci.yml"} if kind.name == "manifest" else set())


@pytest.mark.usefixtures("remembered_names")
def test_a_name_met_again_in_another_folder_takes_that_folders_kind(tmp_path: Path) -> None:
    for folder in ("", ".github/workflows/", "ops/", ".github/k8s/"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / "ci.yml").write_text("\n", encoding="utf-8")
    (tmp_path / "Dockerfile").write_text("FROM python:3.10\n", encoding="utf-8")
    (tmp_path / "ops" / "Dockerfile").write_text("FROM python:3.10\n", encoding="utf-8")
    found = {c.relative: c.kind for c in files.discover(tmp_path, kinds.KNOWN_KINDS)}
    assert found == {
        ".github/workflows/ci.yml": "workflow",
        ".github/k8s/ci.yml": "manifest",
        "Dockerfile": "dockerfile",
        "ci.yml": "manifest",
        "ops/Dockerfile": "dockerfile",
        "ops/ci.yml": "manifest",
    }


_MODELS: dict[str, type | None] = {
    "yaml": YamlDocument,
    "toml": TomlDocument,
    "ini": IniDocument,
    "jsonc": JsoncDocument,
    "dockerfile": Dockerfile,
    "python": None,
    "lines": Lines,
}
_UNPARSEABLE = {
    "yaml": "a: [\n",
    "toml": "a = \n",
    "ini": "a = 1\n",
    "jsonc": "{\n",
    "python": "def (:\n",
}


@pytest.mark.parametrize("kind", ROWS, ids=lambda kind: kind.name)
def test_a_document_is_parsed_as_its_rows_format(kind: kinds.FileKind) -> None:
    parsed = Document(kind.examples[0], kind.name, "")
    assert parsed.format == kind.format
    model = parsed.model
    expected = _MODELS[kind.format]
    assert model is None if expected is None else isinstance(model, expected)
    broken = _UNPARSEABLE.get(kind.format)
    if broken is not None:
        from modernize.errors import ParseError

        with pytest.raises(ParseError):
            Document(kind.examples[0], kind.name, broken).parse()
    else:
        Document(kind.examples[0], kind.name, "\x00 {[ unparseable\n").parse()


@pytest.mark.parametrize("kind", ROWS, ids=lambda kind: kind.name)
def test_standards_hold_for_the_kinds_the_table_says(kind: kinds.FileKind) -> None:
    assert bool(checks_for(kind.name)) == (kind.standards == "each")


def test_the_hooks_files_pattern_is_the_tables() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {hook["files"] for hook in hooks} == {kinds.hook_files_pattern()}, (
        "run scripts/hook_pattern.py"
    )
    script = ROOT / "scripts" / "hook_pattern.py"
    completed = subprocess.run([sys.executable, str(script), "--check"], capture_output=True)
    assert completed.returncode == 0, completed.stdout


_NAMES = st.sampled_from(
    [name for _kind, path in EXAMPLES for name in [path.rsplit("/", 1)[-1]]]
    + ["Dockerfile.", "MyDockerfile", "Compose.yml", "ci.yml", "x.yml", ".yml", "a.pyi", "py"]
)
_PIECES = st.sampled_from(
    [
        *(".", "-", "_", "/", "\n", "Docker", "file", "compose", "docker-", "yml", "YAML", "py"),
        *(".github", "workflows", "action", "render", "mk", "K", "\u212a", "\u0130"),
        *("readthedocs", ".readthedocs", "mise", ".local", "toml", ".tool-versions"),
        *(".pre-commit-config", "pre-commit", "ruff", "Pipfile", "environment", "tox", "ini"),
        *("setup", ".cfg", "mypy", ".mypy", "noxfile", ".py", "devcontainer", ".json"),
        *(".devcontainer", "pyrightconfig", ".gitlab-ci", "azure-pipelines", ".travis"),
        *("bitbucket-pipelines", "config", ".circleci", "values", "templates", ".tpl"),
        *("app", "template", "serverless", "README", "readme", ".md", ".rst", "docs"),
        *("requirements", ".txt", ".in", ".sql", "SQL", "postgresql", ".conf", "pg_hba"),
    ]
)
_PATHS = st.one_of(
    st.lists(st.one_of(_NAMES, _PIECES, st.text(max_size=4)), max_size=6).map("".join),
    st.lists(st.one_of(_NAMES, st.sampled_from([".github", "workflows", "a"])), max_size=4).map(
        "/".join
    ),
)


@settings(max_examples=500, deadline=None)
@given(_PATHS)
def test_the_hook_selects_exactly_the_paths_classify_gives_a_kind(path: str) -> None:
    assume(path and not path.endswith("/"))
    selected = re.search(kinds.hook_files_pattern(), path) is not None
    assert selected == (kinds.classify(path) is not None)


def _name_kind_before_the_table(name: str, in_workflows: bool) -> str | None:
    """How kinds were told before there was a table (the reference for the property below)."""
    lower = name.lower()
    if (
        name in ("Dockerfile", "Containerfile")
        or name.startswith(("Dockerfile.", "Containerfile."))
        or lower.endswith(".dockerfile")
    ):
        return "dockerfile"
    if lower.endswith((".yml", ".yaml")):
        if in_workflows:
            return "workflow"
        if re.match(r"^(docker-)?compose([.-][\w.-]+)?\.ya?ml$", name):
            return "compose"
        if lower in ("action.yml", "action.yaml"):
            return "action"
        if lower in ("render.yaml", "render.yml"):
            return "render"
        if re.fullmatch(r"\.?readthedocs\.ya?ml", name):
            return "readthedocs"
        if re.fullmatch(r"environment\.ya?ml", name):
            return "conda"
        if re.fullmatch(r"\.pre-commit-config\.ya?ml", name):
            return "pre-commit"
        if re.fullmatch(r"\.gitlab-ci\.ya?ml", name):
            return "gitlab-ci"
        if re.fullmatch(r"azure-pipelines([.-][\w.-]+)?\.ya?ml", name):
            return "azure-pipelines"
        if re.fullmatch(r"bitbucket-pipelines\.ya?ml", name):
            return "bitbucket-pipelines"
        if re.fullmatch(r"\.travis\.ya?ml", name):
            return "travis"
        if re.fullmatch(r"values([.-][\w.-]+)?\.ya?ml", name):
            return "helm-values"
        exact = {"app": "app-engine", "template": "aws-sam", "serverless": "serverless"}
        if name.rsplit(".", 1)[0] in exact and re.fullmatch(r"[a-z]+\.ya?ml", name):
            return exact[name.rsplit(".", 1)[0]]
        return "manifest"
    if name in ("Makefile", "makefile", "GNUmakefile") or lower.endswith(".mk"):
        return "makefile"
    exact = {"pyproject.toml": "pyproject", ".python-version": "python-version"}
    exact |= {".tool-versions": "tool-versions", "mise.toml": "mise", ".mise.toml": "mise"}
    exact |= {"mise.local.toml": "mise", ".mise.local.toml": "mise"}
    exact |= {"ruff.toml": "ruff-config", ".ruff.toml": "ruff-config", "Pipfile": "pipfile"}
    exact |= dict.fromkeys(("uv.lock", "poetry.lock", "pdm.lock"), "lockfile")
    exact |= {"tox.ini": "tox", "setup.cfg": "setup-cfg", "mypy.ini": "mypy-ini"}
    exact |= {".mypy.ini": "mypy-ini", "setup.py": "setup-py", "noxfile.py": "noxfile"}
    exact |= {"devcontainer.json": "devcontainer", ".devcontainer.json": "devcontainer"}
    exact |= {"pyrightconfig.json": "pyright", "tox.toml": "tox-toml"}
    if name in exact:
        return exact[name]
    if name == "runtime.txt":
        return "runtime-txt"
    if re.fullmatch(r"readme(\.(md|rst|txt|markdown))?", lower):
        return "readme"
    stem, _dot, extension = name.rpartition(".")
    pieces = re.split(r"[-_.]", stem)
    if extension in ("txt", "in") and re.fullmatch(r"[\w.-]+", stem) and "requirements" in pieces:
        return "requirements"
    if lower.endswith(".sql"):
        return "sql"
    if name == "pg_hba.conf" or (
        extension == "conf"
        and (stem == "postgresql" or stem[:11] in ("postgresql.", "postgresql-"))
        and len(stem) > 11 * (stem != "postgresql")
        and re.fullmatch(r"[\w.-]+", stem)
    ):
        return "postgres-conf"
    if lower.endswith(".py"):
        return "python"
    # A file without a dot may be a Dockerfile of another name (its content tells).
    return "dockerfile-content" if re.fullmatch(r"[^./\s]+", name) else None


@settings(max_examples=1000, deadline=None)
@given(st.one_of(_NAMES, st.lists(st.one_of(_NAMES, _PIECES), max_size=5).map("".join)))
def test_kinds_are_told_as_before_the_table(name: str) -> None:
    assume("/" not in name)
    # The old test lowered the name; the table's (?i:…) also takes the dotted and dotless i
    # and the long s for their ASCII letters (as pre-commit's search of the hook pattern does).
    assume(not set(name) & {"\u0130", "\u0131", "\u017f"})
    for in_workflows in (False, True):
        folders = (".github", "workflows") if in_workflows else ("a", "workflows")
        assert kinds.kind_of_name(name, folders) == _name_kind_before_the_table(name, in_workflows)


def _kind_name_collections(path: Path) -> list[int]:
    """The lines of ``path`` where a literal set, list, tuple or dict holds two kind names or
    more. The matrix keys of a workflow's Python axis (``python-version``, ``python``) are
    keys of a file's data spelled like kinds, not kinds: that one set is not counted."""
    from modernize.rules.workflow_inputs import MATRIX_KEYS

    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Set) and {
            item.value for item in node.elts if isinstance(item, ast.Constant)
        } == set(MATRIX_KEYS):
            continue
        if isinstance(node, (ast.Set, ast.List, ast.Tuple)):
            items: list[ast.expr | None] = list(node.elts)
        elif isinstance(node, ast.Dict):
            items = list(node.keys)
        else:
            continue
        named = {
            item.value
            for item in items
            if isinstance(item, ast.Constant) and item.value in kinds.KNOWN_KINDS
        }
        if len(named) >= 2:
            lines.append(node.lineno)
    return lines


def test_no_other_module_lists_kinds() -> None:
    # Migrations are not searched: each declares the kinds it reads (``KINDS``, checked against
    # the table when it loads) and may tell them apart (python-version-files), and their own
    # names (a matrix key ``python-version``) may be spelled like a kind.
    sources = list((ROOT / "src" / "modernize").rglob("*.py"))
    assert len(sources) > 20
    listed = {
        str(path.relative_to(ROOT)): lines
        for path in sources
        if path.name != "kinds.py"
        for lines in [_kind_name_collections(path)]
        if lines
    }
    assert listed == {}


def test_a_folder_rule_is_compiled_only_when_a_walk_meets_a_file_in_that_folder() -> None:
    from modernize import kinds

    kinds._folder_rule.cache_clear()
    kinds._name_test.cache_clear()
    kinds._KIND_OF_NAME.clear()
    assert kinds.classify("services/api/Dockerfile") == "dockerfile"
    # One name: each kind's own rule, in order, until one matches (Dockerfiles' comes first).
    assert kinds._folder_rule.cache_info().currsize == 0
    assert kinds._name_test.cache_info().currsize == 1
    # The same name in another folder of the same rule: remembered, not tested again.
    assert kinds.classify("services/web/Dockerfile") == "dockerfile"
    assert kinds._name_test.cache_info().hits == 0
    assert kinds.classify(".github/workflows/ci.yml") == "workflow"
    assert kinds.kinds_of_names_in(["services", "api"])("Dockerfile") == "dockerfile"
    assert kinds.kinds_of_names_in([".github", "workflows"])("ci.yml") == "workflow"
    assert kinds.kinds_of_names_in(["templates", "jobs"])("ci.yml") is not None
    assert kinds._folder_rule.cache_info().currsize == 3


def test_one_name_gets_the_kind_the_walks_rule_gives_it() -> None:
    # kind_of_name tries each kind's own rule in turn; the walk has them all in one pattern.
    from modernize.kinds import kind_of_name, kinds_of_names_in

    tests = Path(__file__).parent
    paths = [path.relative_to(tests.parent).as_posix() for path in tests.rglob("*")]
    names = ["Dockerfile.dev", "x.dockerfile", "compose.prod.yaml", "action.YML", "values.yaml"]
    folders = [[], [".github", "workflows"], [".circleci"], ["templates", "jobs"], ["k8s"]]
    cases = [(path.split("/")[-1], path.split("/")[-3:-1]) for path in paths]
    cases += [(name, folder) for name in names for folder in folders]
    for name, above in cases:
        assert kind_of_name(name, above) == kinds_of_names_in(above)(name), (name, above)
