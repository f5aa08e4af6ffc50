"""The kinds of file modernize reads, in one table: how each is told by its name, which parser
reads it, whether its lines keep trailing comments in a column, whether standards hold for it.

Everything else is derived from the table: the kinds a migration may declare, discovery's name
test and ``classify``, the parser a ``Document`` uses, the kinds whose comment columns edits
keep, the kinds ``verify`` reads for standards, the schemas of the optional validator, and the
``files`` pattern of the pre-commit hooks (``hook_files_pattern``; a test compares it with
``.pre-commit-hooks.yaml``). A new kind of file is one row.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from typing import Any, Literal

from modernize.records import record

#: How a kind is parsed: the ``Document`` property that reads it and the data model its proof
#: compares. ``lines``: no parser; the proof compares lines.
Format = Literal["yaml", "toml", "ini", "jsonc", "dockerfile", "python", "lines"]
#: Which standards hold for a kind: ``each`` file (the ``check`` of the standards module named
#: as the kind), the ``project``'s own file only (the module's rules need the project folder),
#: or none.
Standards = Literal["each", "project", ""]


@record(frozen=True)
class FileKind:
    """One kind of file.

    ``names`` is a regular expression that a file's name matches whole; its case-insensitive
    parts are written ``(?i:…)``, and it never matches a ``/``. ``folder``: the names of the
    one or two folders the file must be in (workflows: ``.github/workflows``; Helm templates:
    ``templates``, or a folder in it), else anywhere. A name
    is of the first kind in the table whose rule it meets: ``Dockerfile.yml`` in a workflows
    folder is a Dockerfile. ``examples`` are paths of this kind (the tests classify, discover
    and hook-select each).
    """

    name: str
    names: str
    format: Format
    examples: tuple[str, ...]
    folder: tuple[str, ...] | None = None
    #: Edits keep a trailing ``# comment`` of its lines in its column (YAML and TOML:
    #: Dockerfiles have no trailing comments; the ``#`` of a Makefile recipe is the shell's).
    trailing_comments: bool = False
    standards: Standards = ""
    #: The check-jsonschema schema the optional validation uses, if any.
    schema: str = ""
    #: The survey reads it before any migration runs, whichever migrations run (a project's
    #: claims and its lockfiles).
    surveyed: bool = False
    #: It declares inputs that its callers pass with ``with:`` (workflows, composite actions):
    #: the survey reads which of them feed a Python version when ``workflow-python`` runs.
    declares_inputs: bool = False
    #: A CI system's configuration (besides GitHub Actions) whose images run its jobs and
    #: services: any mapping's ``image``, Azure's ``container``, GitLab's ``services`` list.
    ci_images: bool = False
    #: Told by its content, not its name alone (a Kubernetes manifest is any YAML file with
    #: ``apiVersion`` and ``kind``): a file that no migration's text test passes on is not
    #: parsed, and one that does not parse is passed over, not an error.
    by_content: bool = False
    #: What the text of a file of this kind must contain (a regular expression searched), or
    #: "": a file of its name whose text does not is passed over, unread by any migration.
    content: str = ""


_YAML = r"[^/]*\.(?i:ya?ml)"

FILE_KINDS: tuple[FileKind, ...] = (
    FileKind(
        "dockerfile",
        r"(?:Dockerfile|Containerfile)(?:\.[^/]*)?|[^/]*\.(?i:dockerfile)",
        "dockerfile",
        ("Dockerfile", "svc/Dockerfile.dev", "Containerfile", "app.DOCKERFILE"),
        standards="each",
    ),
    FileKind(
        "workflow",
        _YAML,
        "yaml",
        (".github/workflows/ci.yml", ".github/workflows/compose.YAML"),
        # GitHub runs every YAML file of .github/workflows as a workflow, whatever its name.
        folder=(".github", "workflows"),
        trailing_comments=True,
        schema="vendor.github-workflows",
        declares_inputs=True,
    ),
    FileKind(
        "circleci",
        r"config\.ya?ml",
        "yaml",
        (".circleci/config.yml",),
        folder=(".circleci",),
        trailing_comments=True,
        ci_images=True,
    ),
    FileKind(
        "action",
        r"(?i:action\.ya?ml)",
        "yaml",
        ("action.yml", "setup/Action.YAML"),
        trailing_comments=True,
        schema="vendor.github-actions",
        declares_inputs=True,
    ),
    FileKind(
        "compose",
        r"(?:docker-)?compose(?:[.-][\w.-]+)?\.ya?ml",
        "yaml",
        ("docker-compose.yml", "deploy/compose.override.yaml", "compose-dev.yml"),
        trailing_comments=True,
        standards="each",
        schema="vendor.compose-spec",
    ),
    FileKind(
        "render",
        r"(?i:render\.ya?ml)",
        "yaml",
        ("render.yaml", "RENDER.yml"),
        trailing_comments=True,
        standards="each",
    ),
    FileKind(
        "gitlab-ci",
        r"\.gitlab-ci\.ya?ml",
        "yaml",
        (".gitlab-ci.yml", "services/api/.gitlab-ci.yaml"),
        trailing_comments=True,
        ci_images=True,
    ),
    FileKind(
        "azure-pipelines",
        r"azure-pipelines(?:[.-][\w.-]+)?\.ya?ml",
        "yaml",
        ("azure-pipelines.yml", "ci/azure-pipelines-release.yaml"),
        trailing_comments=True,
        ci_images=True,
    ),
    FileKind(
        "bitbucket-pipelines",
        r"bitbucket-pipelines\.ya?ml",
        "yaml",
        ("bitbucket-pipelines.yml",),
        trailing_comments=True,
        ci_images=True,
    ),
    FileKind("travis", r"\.travis\.ya?ml", "yaml", (".travis.yml",), trailing_comments=True),
    FileKind(
        "conda",
        r"environment\.ya?ml",
        "yaml",
        ("environment.yml", "docs/environment.yaml"),
        trailing_comments=True,
    ),
    FileKind(
        "pre-commit",
        r"\.pre-commit-config\.ya?ml",
        "yaml",
        (".pre-commit-config.yaml", ".pre-commit-config.yml"),
        trailing_comments=True,
    ),
    FileKind(
        "readthedocs",
        r"\.?readthedocs\.ya?ml",
        "yaml",
        (".readthedocs.yaml", ".readthedocs.yml", "readthedocs.yml"),
        trailing_comments=True,
        schema="vendor.readthedocs",
    ),
    FileKind(
        "makefile",
        r"Makefile|makefile|GNUmakefile|[^/]*\.(?i:mk)",
        "lines",
        ("Makefile", "makefile", "GNUmakefile", "build/rules.MK"),
        standards="project",
    ),
    FileKind(
        "pyproject",
        r"pyproject\.toml",
        "toml",
        ("pyproject.toml", "pkg/pyproject.toml"),
        trailing_comments=True,
        surveyed=True,
    ),
    # Read for the Python claim they record, never edited.
    FileKind(
        "lockfile",
        r"(?:uv|poetry|pdm)\.lock",
        "lines",
        ("uv.lock", "services/api/poetry.lock", "pdm.lock"),
        surveyed=True,
    ),
    FileKind(
        "ruff-config",
        r"\.?ruff\.toml",
        "toml",
        ("ruff.toml", ".ruff.toml", "tools/lint/ruff.toml"),
        trailing_comments=True,
    ),
    FileKind(
        "pipfile", r"Pipfile", "toml", ("Pipfile", "services/api/Pipfile"), trailing_comments=True
    ),
    FileKind("tox", r"tox\.ini", "ini", ("tox.ini", "services/api/tox.ini")),
    FileKind("tox-toml", r"tox\.toml", "toml", ("tox.toml",), trailing_comments=True),
    # Surveyed: a package's setup.cfg claims its Python (``python_requires``).
    FileKind(
        "setup-cfg", r"setup\.cfg", "ini", ("setup.cfg", "libs/core/setup.cfg"), surveyed=True
    ),
    FileKind("mypy-ini", r"\.?mypy\.ini", "ini", ("mypy.ini", ".mypy.ini")),
    FileKind(
        "devcontainer",
        r"\.?devcontainer\.json",
        "jsonc",
        (
            ".devcontainer/devcontainer.json",
            ".devcontainer.json",
            ".devcontainer/py/devcontainer.json",
        ),
    ),
    FileKind("pyright", r"pyrightconfig\.json", "jsonc", ("pyrightconfig.json",)),
    FileKind(
        "app-engine",
        r"app\.ya?ml",
        "yaml",
        ("app.yaml",),
        trailing_comments=True,
        by_content=True,
    ),
    FileKind(
        "aws-sam",
        r"template\.ya?ml",
        "yaml",
        ("template.yaml", "infra/template.yml"),
        trailing_comments=True,
        by_content=True,
    ),
    FileKind(
        "serverless",
        r"serverless\.ya?ml",
        "yaml",
        ("serverless.yml", "functions/serverless.yaml"),
        trailing_comments=True,
    ),
    FileKind(
        "helm-values",
        r"values(?:[.-][\w.-]+)?\.ya?ml",
        "yaml",
        ("charts/api/values.yaml", "values-prod.yaml"),
        trailing_comments=True,
        by_content=True,
    ),
    # Helm templates are not YAML until rendered: read as lines, their images reported.
    FileKind(
        "helm-template",
        r"[^/]*\.(?:ya?ml|tpl)",
        "lines",
        ("charts/api/templates/deployment.yaml", "templates/_helpers.tpl"),
        folder=("templates",),
        by_content=True,
    ),
    # Every other YAML file, read as a Kubernetes manifest when its content says it is one.
    FileKind(
        "manifest",
        _YAML,
        "yaml",
        ("k8s/deployment.yaml", "deploy/db.yml"),
        trailing_comments=True,
        by_content=True,
    ),
    # Documentation: README files anywhere, and the pages of a docs folder (lines: reported).
    FileKind(
        "readme",
        r"(?i:readme)(?:\.(?i:md|rst|txt|markdown))?",
        "lines",
        ("README.md", "pkg/README"),
    ),
    FileKind(
        "docs-page",
        r"[^/]*\.(?i:md|rst|markdown)",
        "lines",
        ("docs/install.md", "docs/guide/setup.rst"),
        folder=("docs",),
    ),
    FileKind("python-version", r"\.python-version", "lines", (".python-version",)),
    FileKind("tool-versions", r"\.tool-versions", "lines", (".tool-versions",)),
    FileKind(
        "mise",
        r"\.?mise(?:\.local)?\.toml",
        "toml",
        ("mise.toml", ".mise.toml", ".config/mise.local.toml"),
        trailing_comments=True,
    ),
    FileKind("runtime-txt", r"runtime\.txt", "lines", ("runtime.txt",)),
    # Read by ``modernize advise`` only: pinned requirements, postgres init scripts and server
    # configuration (no migration edits them).
    FileKind(
        "requirements",
        r"(?:[\w.-]*[-_.])?requirements(?:[-_.][\w.-]*)?\.(?:txt|in)",
        "lines",
        ("requirements.txt", "requirements-dev.txt", "dev-requirements.in"),
    ),
    # A folder of requirement files (``requirements/base.txt``, ``requirements/dev.in``).
    FileKind(
        "requirements-folder",
        r"[^/]*\.(?:txt|in)",
        "lines",
        ("requirements/base.txt", "requirements/dev.in"),
        folder=("requirements",),
    ),
    FileKind("sql", r"[^/]*\.(?i:sql)", "lines", ("db/init.sql", "initdb/01-roles.SQL")),
    FileKind(
        "postgres-conf",
        r"postgresql(?:[.-][\w.-]+)?\.conf|pg_hba\.conf",
        "lines",
        ("postgresql.conf", "db/postgresql.replica.conf", "pg_hba.conf"),
    ),
    # Python source with a role of its own, read by the migrations of that role (and by
    # python-typing); a setup.py is surveyed for its project's claim.
    FileKind("setup-py", r"setup\.py", "python", ("setup.py", "libs/core/setup.py"), surveyed=True),
    FileKind("noxfile", r"noxfile\.py", "python", ("noxfile.py",)),
    FileKind("python", r"[^/]*\.(?i:py)", "python", ("app.py", "src/pkg/MAIN.PY")),
    # A Dockerfile of another name (``docker/pypi``): a file without a dot whose first
    # instruction (after comments, parser directives and ARGs) is a FROM.
    FileKind(
        "dockerfile-content",
        r"[^./\s]+",
        "dockerfile",
        ("docker/pypi", "images/base"),
        by_content=True,
        content=(
            r"\A(?:[ \t]*(?:#[^\n]*)?\r?\n)*"
            r"(?:[ \t]*(?i:ARG)[ \t][^\n]*\n(?:[ \t]*(?:#[^\n]*)?\r?\n)*)*"
            r"[ \t]*(?i:FROM)(?:[ \t]+--\S+)*[ \t]+\S+(?:[ \t]+(?i:AS)[ \t]+\S+)?[ \t]*\r?$"
        ),
    ),
)

#: The files that describe a project and may claim its Python (``modernize.survey``), the first
#: named first: each is read for the survey whichever migrations run.
PROJECT_FILES = ("pyproject.toml", "setup.cfg", "setup.py")

#: The lockfiles whose recorded Python claim follows the project's, each with the command
#: that makes it again (``modernize.survey`` names them when the project's claim moves).
LOCK_COMMANDS = {"uv.lock": "uv lock", "poetry.lock": "poetry lock", "pdm.lock": "pdm lock"}
LOCKFILES = tuple(LOCK_COMMANDS)

#: What ``modernize advise`` reads in each kind: ``code`` (Python, with ``ast``), ``commands``
#: (what a build or CI step runs), ``server`` (a postgres server's settings and environment),
#: ``requirements`` (pinned releases).
ADVISED: dict[str, frozenset[str]] = {
    name: frozenset(parts.split())
    for name, parts in {
        "python": "code",
        "setup-py": "code",
        "noxfile": "code commands",
        "dockerfile": "commands server",
        "dockerfile-content": "commands server",
        "makefile": "commands",
        "workflow": "commands server",
        "action": "commands",
        "gitlab-ci": "commands server",
        "circleci": "commands server",
        "azure-pipelines": "commands server",
        "bitbucket-pipelines": "commands server",
        "travis": "commands",
        "tox": "commands",
        "compose": "server",
        "manifest": "server",
        "helm-values": "server",
        "postgres-conf": "server",
        "sql": "server",
        "requirements": "requirements",
        "requirements-folder": "requirements",
        "pyproject": "requirements",
        # Read for its project's claim only: a project held below the target does not jump.
        "setup-cfg": "",
    }.items()
}

BY_NAME: dict[str, FileKind] = {kind.name: kind for kind in FILE_KINDS}
KNOWN_KINDS = frozenset(BY_NAME)
YAML_KINDS = frozenset(kind.name for kind in FILE_KINDS if kind.format == "yaml")
COMMENTED_KINDS = frozenset(kind.name for kind in FILE_KINDS if kind.trailing_comments)
STANDARD_KINDS = frozenset(kind.name for kind in FILE_KINDS if kind.standards)
SURVEYED_KINDS = frozenset(kind.name for kind in FILE_KINDS if kind.surveyed)
INPUT_KINDS = frozenset(kind.name for kind in FILE_KINDS if kind.declares_inputs)
CI_KINDS = frozenset(kind.name for kind in FILE_KINDS if kind.ci_images)
CONTENT_KINDS = frozenset(kind.name for kind in FILE_KINDS if kind.by_content)


@functools.cache
def content_test(kind: str) -> Callable[[str], object] | None:
    """The test a file's text must pass to be of ``kind`` (``FileKind.content``), or None."""
    found = BY_NAME.get(kind)
    if found is None or not found.content:
        return None
    return re.compile(found.content, re.MULTILINE).search


SCHEMAS = {kind.name: kind.schema for kind in FILE_KINDS if kind.schema}


def format_of(kind: str) -> Format:
    """The format a file of ``kind`` is parsed as; ``lines`` for a kind not in the table."""
    found = BY_NAME.get(kind)
    return found.format if found is not None else "lines"


KindOfName = Callable[[str], "str | None"]


def _rule(kinds: Sequence[FileKind]) -> KindOfName:
    """The kind among ``kinds`` (in order) of a file name, or None: one pattern whose group
    ``k<i>`` is the i-th kind's rule (a group that encloses others closes last, so
    ``lastgroup`` names the kind matched)."""
    pattern = "|".join(f"(?P<k{index}>{kind.names})" for index, kind in enumerate(kinds))
    fullmatch = re.compile(pattern or "(?!)").fullmatch
    names = {f"k{index}": kind.name for index, kind in enumerate(kinds)}

    def kind_of(name: str) -> str | None:
        match = fullmatch(name)
        return None if match is None else names.get(match.lastgroup or "")

    return kind_of


#: The folders some kind requires (``.github/workflows``), each with its own name rule.
_FOLDERS = frozenset(kind.folder for kind in FILE_KINDS if kind.folder is not None)


@functools.cache
def _folder_rule(folder: tuple[str, ...]) -> KindOfName:
    """The name rule in ``folder`` (one of ``_FOLDERS``), or anywhere else (``()``); each is
    compiled when first needed, not when the command line starts: a run that meets no such
    folder never compiles its rule."""
    if not folder:
        return _rule([kind for kind in FILE_KINDS if kind.folder is None])
    return _rule([kind for kind in FILE_KINDS if kind.folder in (None, folder)])


def _folder_of(folders: Sequence[str]) -> tuple[str, ...]:
    """The folder among ``_FOLDERS`` whose rule holds in a folder whose path ends in
    ``folders``; ``()`` for none."""
    # A kind of one folder also holds in a folder of it (``templates/jobs/``).
    for folder in (tuple(folders[-2:]), tuple(folders[-1:]), tuple(folders[-2:-1])):
        if folder in _FOLDERS:
            return folder
    return ()


def kinds_of_names_in(folders: Sequence[str]) -> KindOfName:
    """The kind of a file by its name, in a folder whose path ends in ``folders`` (the names of
    the folders above the file: the last two are enough). The kind is None when no migration
    or check reads the file."""
    return _folder_rule(_folder_of(folders))


@functools.cache
def _kinds_in(folder: tuple[str, ...]) -> tuple[FileKind, ...]:
    """The kinds whose rule holds in ``folder`` (one of ``_FOLDERS``, or ``()``), in order."""
    return tuple(kind for kind in FILE_KINDS if kind.folder in (None, folder or None))


@functools.cache
def _name_test(kind: str) -> Callable[[str], object]:
    return re.compile(BY_NAME[kind].names).fullmatch


#: How many names a walk, or ``kind_of_name``, remembers the kind of: the first ones met,
#: which are most of the names that repeat (``__init__.py``, ``README.md``, ``Dockerfile``).
_REMEMBERED_NAMES = 8192


class Remembered(dict[Any, Any]):
    """``function`` of a key (a file's name), remembered for the first keys met."""

    __slots__ = ("function",)

    def __init__(self, function: Callable[[Any], Any]) -> None:
        super().__init__()
        self.function = function

    def __missing__(self, key: Any) -> Any:
        value = self.function(key)
        if len(self) < _REMEMBERED_NAMES:
            self[key] = value
        return value


def kind_of_name(name: str, folders: Sequence[str]) -> str | None:
    """The kind of a file called ``name`` in a folder whose path ends in ``folders``, as
    ``kinds_of_names_in`` gives it: the first kind, in order, whose rule the name matches.
    For one name, each kind's own rule is tried, compiled when first needed: compiling the
    walk's one rule for them all costs more than testing a few names (a pre-commit hook's).
    The first names met are remembered with their folder's rule: a tree's names repeat."""
    kind: str | None = _KIND_OF_NAME[_folder_of(folders), name]
    return kind


def _first_kind(key: tuple[tuple[str, ...], str]) -> str | None:
    folder, name = key
    for kind in _kinds_in(folder):
        if _name_test(kind.name)(name) is not None:
            return kind.name
    return None


#: ``kind_of_name`` of the first names met, by their folder's rule and name.
_KIND_OF_NAME = Remembered(_first_kind)


def classify(relative_path: str) -> str | None:
    """The file kind of a repository-relative POSIX path, or None when no migration reads it."""
    parts = relative_path.split("/")
    return kind_of_name(parts[-1], parts[-3:-1])


def name_pattern(kinds: frozenset[str]) -> re.Pattern[str]:
    """A pattern that every name of a file of one of ``kinds`` matches whole: a first test for
    every name met in discovery, before ``kind_of_name``."""
    return re.compile("|".join(kind.names for kind in FILE_KINDS if kind.name in kinds) or "(?!)")


def hook_files_pattern() -> str:
    """The pre-commit hooks' ``files`` pattern (pre-commit searches it in each path relative to
    the repository's top): exactly the paths ``classify`` gives a kind, one line a kind
    (``\\Z``, not ``$``, which also matches before a final newline)."""
    lines = []
    for kind in FILE_KINDS:
        folder = "".join(f"{re.escape(name)}/" for name in kind.folder or ())
        if kind.folder is not None and len(kind.folder) == 1:
            folder += "(?:[^/\n]+/)?"  # the folder itself, or one below it
        names = f"(?:{kind.names})" if "|" in kind.names else kind.names
        lines.append(f"(^|/){folder}{names}\\Z")
    return "(?x)(\n    " + "\n  | ".join(lines) + "\n)\n"
