from __future__ import annotations

from hypothesis import settings

# The default keeps CI fast; `python -m pytest --hypothesis-profile=long --timeout 0` is the
# release check (its longest properties run past the per-test timeout).
settings.register_profile("ci", max_examples=200, deadline=None)
settings.register_profile("long", max_examples=10_000, deadline=None)
settings.load_profile("ci")
