"""The examples and exit codes at the end of ``--help``."""

EPILOG = """\b
Examples:
  modernize apply --dry-run              show the diff for this repository
  modernize apply                        write the changes
  modernize apply --check                exit 1 while changes are pending, print no diff
  modernize apply --only postgres-major --postgres 17 services/
  modernize apply --dry-run --repos-from repos.txt   many repositories in parallel
  modernize list                         the migrations, in the order they run

\b
Exit codes: 0 nothing to do or everything written (verify: no error found);
1 changes pending with --dry-run, --diff or --check (verify: errors found, unparseable
files included); 2 errors of apply (unparseable or unreadable files, failed verification,
a PATH that does not exist) and bad options. A batch exits with the worst of its
repositories.
"""


VERIFY_EPILOG = """\b
Examples:
  modernize verify                       the findings for this repository
  modernize verify --strict .            fail on standards too (warnings become errors)
  modernize verify --select DF,CP --ignore DF002   only these standards' codes
  modernize verify --format sarif --output modernize.sarif
  modernize rules                        every code; modernize rule CODE explains one

\b
Exit codes: 0 no errors; 1 errors (stale files, or any finding with --strict);
2 bad options or configuration, a PATH that does not exist, or a check that failed on a
file (E002, please report).
"""

COMPLETION_EPILOG = """\b
Shell completion (bash; for zsh or fish use zsh_source or fish_source):
  eval "$(_MODERNIZE_COMPLETE=bash_source modernize)"
"""
