"""The Python runtimes serverless platforms offer, as known on ``KNOWN_ON``: a runtime moves
only to one the platform is known to offer. Facts from the platforms' own runtime lists; a
newer runtime than these is not guessed at, it is reported."""

from __future__ import annotations

from modernize.rules.versions import Minor

#: When these lists were last read from the platforms' documentation.
KNOWN_ON = "2025-06"

#: AWS Lambda's ``python3.X`` runtimes (also SAM, CloudFormation and the Serverless Framework).
AWS_LAMBDA: frozenset[Minor] = frozenset({(3, 9), (3, 10), (3, 11), (3, 12), (3, 13)})
#: Google App Engine standard's ``python3X`` runtimes.
APP_ENGINE: frozenset[Minor] = frozenset({(3, 8), (3, 9), (3, 10), (3, 11), (3, 12)})
