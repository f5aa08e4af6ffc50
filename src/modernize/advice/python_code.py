"""Find, with ``ast``, what the Python hazards name in one Python file; the file is never run.

Only what ``ast`` sees reliably counts: an import, a call on a name that an import bound, a
method called on ``self``. An import guarded by ``try: … except ImportError`` (or a test of
``sys.version_info``) is the code's own answer to the removal and is not reported. Which hits
hold for a jump is decided by the hazards table, not here.
"""

from __future__ import annotations

import ast
from dataclasses import field

from modernize.advice.hazards import BY_CODE, Hit
from modernize.advice.hazards import TESTCASE_ALIASES as ALIASES
from modernize.lazy import lazy_pattern
from modernize.records import record

#: Removed module → its hazard.
_REMOVED_MODULES = {name: code for code in ("A001", "A002") for name in BY_CODE[code].names}
_PACKAGING_MODULES = {name: "A005" for name in BY_CODE["A005"].names}
_MODULE_HAZARDS = {**_REMOVED_MODULES, **_PACKAGING_MODULES}


#: A file that names none of these cannot hold a hit: it is not parsed.
_WORDS = lazy_pattern(
    r"\b(?:"
    + "|".join(
        sorted(
            {*_MODULE_HAZARDS, *ALIASES, "import_module", "__import__", "ssl", "asyncio"}
            | {"ast", "multiprocessing", "set_start_method", "tarfile", "ProcessPoolExecutor"}
        )
    )
    + r")\b"
)

_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})


@record
class Scan:
    """What a Python module's scan found: the hazards' hits, and whether it chooses a start
    method."""

    hits: list[Hit] = field(default_factory=list)
    #: The file chooses multiprocessing's start method (the repository's choice, then).
    sets_start_method: bool = False


class NotPython(Exception):
    """The file does not parse as Python 3: what it holds cannot be read for hazards."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line, self.reason = line, reason


def scan(source: bytes) -> Scan:
    """The hits in one file (its bytes: a coding declaration is honoured, as Python does);
    raise NotPython when it does not parse."""
    if _WORDS.search(source.decode("latin-1")) is None:
        return Scan()
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        raise NotPython(error.lineno or 1, f"not Python 3 ({error.msg})") from error
    except (ValueError, RecursionError, MemoryError) as error:
        raise NotPython(1, f"not parsed ({type(error).__name__})") from error
    finder = _Finder()
    finder.visit(tree)
    finder.scan.hits.sort(key=lambda hit: (hit.line, hit.code))
    return finder.scan


def _handles_import_errors(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(kind, ast.Name) and kind.id in _IMPORT_ERRORS for kind in types)


def _tests_version(test: ast.expr) -> bool:
    """Whether a test reads the running Python's version (``sys.version_info``,
    ``sys.version``, ``version_info`` imported from sys); ``args.version`` is not one."""
    for node in ast.walk(test):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in ("version_info", "version", "hexversion")
            and isinstance(node.value, ast.Name)
            and node.value.id == "sys"
        ):
            return True
        if isinstance(node, ast.Name) and node.id == "version_info":
            return True
    return False


class _Finder(ast.NodeVisitor):
    def __init__(self) -> None:
        self.scan = Scan()
        #: Names bound to a module by an import: the local name → the module.
        self.modules: dict[str, str] = {}
        #: Names bound to a module's attribute by ``from m import a``: local → (m, a).
        self.imported: dict[str, tuple[str, str]] = {}
        #: Names bound to an open tar archive, in the scope being read.
        self.archives: set[str] = set()
        #: Inside a ``try`` that falls back on an ImportError; under a version test.
        self.import_guarded = 0
        self.version_guarded = 0
        self.in_function = 0
        #: A module-level asyncio.set_event_loop() came before.
        self.loop_set = False
        #: The methods each enclosing class defines itself (innermost last).
        self.class_methods: list[frozenset[str]] = []

    def _hit(self, code: str, node: ast.AST, detail: str, *, imported: bool = False) -> None:
        if self.version_guarded or (imported and self.import_guarded):
            return  # the code answers the change by itself
        self.scan.hits.append(Hit(code, getattr(node, "lineno", 1), detail))

    # Guards: an import the code already falls back from is its own answer.
    def visit_Try(self, node: ast.Try) -> None:
        guarded = any(_handles_import_errors(handler) for handler in node.handlers)
        self.import_guarded += guarded
        for statement in node.body:
            self.visit(statement)
        self.import_guarded -= guarded
        for part in (*node.handlers, *node.orelse, *node.finalbody):
            self.visit(part)

    visit_TryStar = visit_Try

    def visit_If(self, node: ast.If) -> None:
        guarded = _tests_version(node.test)
        self.version_guarded += guarded
        self.generic_visit(node)
        self.version_guarded -= guarded

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        defined = frozenset(
            statement.name
            for statement in node.body
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
        )
        self.class_methods.append(defined)
        self.generic_visit(node)
        self.class_methods.pop()

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        # Decorators and defaults run where the function is defined; its body, when called.
        if not isinstance(node, ast.Lambda):
            for decorator in node.decorator_list:
                self.visit(decorator)
        for default in (*node.args.defaults, *node.args.kw_defaults):
            if default is not None:
                self.visit(default)
        self.in_function += 1
        archives, self.archives = self.archives, set(self.archives)  # a scope of its own
        for statement in node.body if isinstance(node.body, list) else [node.body]:
            self.visit(statement)
        self.archives = archives
        self.in_function -= 1

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function
    visit_Lambda = _function

    def _module_imported(self, node: ast.AST, module: str, detail: str) -> None:
        code = _MODULE_HAZARDS.get(module.split(".")[0])
        if code is not None:
            self._hit(code, node, detail, imported=True)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._module_imported(node, alias.name, f"import {alias.name}")
            if alias.asname:
                self.modules[alias.asname] = alias.name
            else:
                top = alias.name.split(".")[0]
                self.modules[top] = top

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level or node.module is None:
            return
        module = node.module
        names = ", ".join(alias.name for alias in node.names)
        self._module_imported(node, module, f"from {module} import {names}")
        for alias in node.names:
            local = alias.asname or alias.name
            self.imported[local] = (module, alias.name)
            if module == "ssl" and alias.name in BY_CODE["A004"].names:
                self._hit("A004", node, f"from ssl import {alias.name}", imported=True)
            elif module == "ast" and alias.name in BY_CODE["A008"].names:
                self._hit("A008", node, f"from ast import {alias.name}", imported=True)
            elif module == "multiprocessing" and alias.name == "set_start_method":
                self.scan.sets_start_method = True

    def _is_module(self, node: ast.expr, module: str) -> bool:
        return isinstance(node, ast.Name) and self.modules.get(node.id) == module

    def _names(self, node: ast.expr, module: str, names: tuple[str, ...] | set[str]) -> str:
        """The attribute of ``module`` that ``node`` is (``ssl.wrap_socket``, or a name imported
        from it) when it is one of ``names``, else ""."""
        if isinstance(node, ast.Attribute) and self._is_module(node.value, module):
            return node.attr if node.attr in names else ""
        if isinstance(node, ast.Name) and node.id in self.imported:
            source, name = self.imported[node.id]
            return name if source == module and name in names else ""
        return ""

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if self._is_module(node.value, "ssl") and node.attr in BY_CODE["A004"].names:
            self._hit("A004", node, f"ssl.{node.attr}")
        elif self._is_module(node.value, "ast") and node.attr in BY_CODE["A008"].names:
            self._hit("A008", node, f"ast.{node.attr}")
        self.generic_visit(node)

    def visit_With(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            if isinstance(item.optional_vars, ast.Name):
                self._bind(item.optional_vars.id, self._opens_archive(item.context_expr))
        self.generic_visit(node)

    visit_AsyncWith = visit_With

    def visit_Assign(self, node: ast.Assign) -> None:
        opens = self._opens_archive(node.value)
        for target in node.targets:
            if isinstance(target, ast.Name):
                self._bind(target.id, opens)
        self.generic_visit(node)

    def _bind(self, name: str, archive: bool) -> None:
        """``name`` now holds a tar archive, or something else."""
        if archive:
            self.archives.add(name)
        else:
            self.archives.discard(name)

    def _opens_archive(self, node: ast.expr) -> bool:
        if not isinstance(node, ast.Call):
            return False
        function = node.func
        if self._names(function, "tarfile", {"open", "TarFile"}):
            return True
        # tarfile.TarFile.open(...)
        return (
            isinstance(function, ast.Attribute)
            and function.attr == "open"
            and bool(self._names(function.value, "tarfile", {"TarFile"}))
        )

    def visit_Call(self, node: ast.Call) -> None:
        function = node.func
        self._call(node, function)
        self.generic_visit(node)

    def _call(self, node: ast.Call, function: ast.expr) -> None:
        if isinstance(function, ast.Attribute):
            receiver = function.value
            name = function.attr
            if (
                name in ALIASES
                and isinstance(receiver, ast.Name)
                and receiver.id in ("self", "cls")
                and not (self.class_methods and name in self.class_methods[-1])
            ):
                self._hit("A003", node, f"{receiver.id}.{name}() (use {ALIASES[name]})")
                return
            if name in ("extract", "extractall") and self._is_archive(receiver):
                if not any(keyword.arg == "filter" for keyword in node.keywords):
                    self._hit("A010", node, f"TarFile.{name}() without filter=")
                return
            if name == "set_start_method":
                self.scan.sets_start_method = True
        literal = self._imported_by_name(node, function)
        if literal:
            by_dunder = isinstance(function, ast.Name) and function.id == "__import__"
            called = "__import__" if by_dunder else "import_module"
            self._module_imported(node, literal, f"{called}({literal!r})")
            return
        if self._names(function, "asyncio", {"set_event_loop"}) and not self.in_function:
            self.loop_set = True  # what the fix says: a loop set before it is asked for
        if (
            self._names(function, "asyncio", {"get_event_loop"})
            and not self.in_function
            and not self.loop_set
        ):
            self._hit("A007", node, "asyncio.get_event_loop() at module level")
            return
        started = self._names(function, "multiprocessing", set(BY_CODE["A009"].names))
        if started:
            self._hit("A009", node, f"multiprocessing.{started}()")
        elif self._names(function, "concurrent.futures", {"ProcessPoolExecutor"}) or (
            isinstance(function, ast.Attribute)
            and function.attr == "ProcessPoolExecutor"
            and isinstance(function.value, ast.Attribute)
            and function.value.attr == "futures"
            and self._is_module(function.value.value, "concurrent")
        ):
            if not any(keyword.arg == "mp_context" for keyword in node.keywords):
                self._hit("A009", node, "ProcessPoolExecutor() without mp_context=")
        elif (
            isinstance(function, ast.Attribute)
            and function.attr in BY_CODE["A009"].names
            and isinstance(function.value, ast.Call)
            and self._names(function.value.func, "multiprocessing", {"get_context"})
            and not function.value.args
            and not function.value.keywords
        ):
            self._hit("A009", node, f"multiprocessing.get_context().{function.attr}()")

    def _is_archive(self, node: ast.expr) -> bool:
        return (isinstance(node, ast.Name) and node.id in self.archives) or self._opens_archive(
            node
        )

    def _imported_by_name(self, node: ast.Call, function: ast.expr) -> str:
        """The module a call imports by a literal name (``importlib.import_module("imp")``,
        ``__import__("imp")``), or ""."""
        by_name = self._names(function, "importlib", {"import_module"}) or (
            isinstance(function, ast.Name) and function.id == "__import__"
        )
        if not by_name or not node.args:
            return ""
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
        return ""
