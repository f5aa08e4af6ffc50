"""The one image-tag rule that the python, postgres and redis migrations share, as (value,
outcome) tables."""

from __future__ import annotations

from operator import attrgetter

import pytest

from modernize.rules.imagetags import TagDecision, decide_image, major_image, may_name_major_below
from modernize.rules.pythontags import PYTHON
from modernize.targets import REDIS_DISTRO_RELEASES, Targets

REDIS = major_image("redis", REDIS_DISTRO_RELEASES, attrgetter("redis"), look_alikes=("redis",))


def _assert_moved(value: str, decision: TagDecision | None, moved: str | None) -> None:
    """``decision`` says nothing when ``moved`` is None, else it turns ``value`` into it."""
    if moved is None:
        assert decision is None
        return
    assert decision is not None and not decision.refusal
    start, end = decision.tag_start, decision.tag_start + decision.length
    assert value[:start] + decision.replacement + value[end:] == moved


# (value, target, the value once moved, or None when nothing is said)
MOVED = [
    ("redis:6", 7, "redis:7"),
    ("redis:6.2.14-alpine3.20", 7, "redis:7-alpine3.20"),
    ("docker.io/library/redis:5-bookworm", 7, "docker.io/library/redis:7-bookworm"),
    ("localhost:5000/redis:6.0", 7, "localhost:5000/redis:7"),
    ("redis:9-alpine", 10, "redis:10-alpine"),  # 9 < 10 as numbers, not as text
    ("redis:7.4-alpine3.21", 8, "redis:8-alpine3.21"),
    ("redis:6-alpine", 9, "redis:9-alpine"),  # a plain variant needs no row of the table
    ("redis", 7, None),
    ("redis:latest", 7, None),
    ("redis:alpine", 7, None),
    ("redis:7", 7, None),
    ("redis:10", 8, None),  # "10" < "8" as text, not as numbers
    ("redis:8.2-trixie", 7, None),
    ("valkey/valkey:8", 7, None),
    ("valkey/valkey:7.2", 8, None),  # a fork with versions of its own
    ("oliver006/redis_exporter:1.62.0", 7, None),  # tools for redis, not builds of it
    ("redis/redisinsight:2.50", 7, None),
    ("rediscommander/redis-commander:0.8", 7, None),
    ("rediscommander/redis-commander:latest", 7, None),
    ("memcached:1.6", 7, None),
    ("redis@sha256:" + "0" * 64, 7, None),
]


@pytest.mark.parametrize(("value", "target", "moved"), MOVED)
def test_a_tag_below_the_target_moves_its_version_only(
    value: str, target: int, moved: str | None
) -> None:
    _assert_moved(value, decide_image(value, REDIS, Targets(redis=target)), moved)


# (value, target, the start of the refusal, whether it is advisory)
REFUSED = [
    ("redis:6@sha256:" + "0" * 64, 7, "redis:6 is pinned by digest", False),
    ("redis:${REDIS_TAG:-6}", 7, "redis image 'redis:${REDIS_TAG:-6}' has a templated", True),
    ("redis:6-buster", 7, "redis:6-buster: no redis:7-buster image is known", False),
    ("redis:7-bullseye", 8, "redis:7-bullseye: no redis:8-bullseye image is known", False),
    ("redis:6.0-32bit", 7, "redis:6.0-32bit: no redis:7-32bit image is known", False),
    ("bitnami/redis:6.2", 7, "bitnami/redis:6.2 is not the official redis image", False),
    ("ghcr.io/acme/redis:6", 7, "ghcr.io/acme/redis:6 is not the official redis image", False),
]


@pytest.mark.parametrize(("value", "target", "refusal", "advisory"), REFUSED)
def test_what_cannot_be_moved_is_refused(
    value: str, target: int, refusal: str, advisory: bool
) -> None:
    decision = decide_image(value, REDIS, Targets(redis=target))
    assert decision is not None and decision.refusal.startswith(refusal)
    assert decision.advisory == advisory and decision.replacement == ""


@pytest.mark.parametrize(
    "value", [value for value, _, moved in MOVED if moved] + [value for value, *_ in REFUSED]
)
def test_the_text_test_sees_every_value_the_rule_acts_on(value: str) -> None:
    target = next(t for v, t, *_ in [*MOVED, *REFUSED] if v == value)
    assert may_name_major_below(f"services:\n  x:\n    image: {value}\n", REDIS, target)


def test_the_text_test_passes_over_current_and_unrelated_images() -> None:
    text = "services:\n  a:\n    image: redis:7-alpine\n  b:\n    image: postgres:14\n"
    assert not may_name_major_below(text, REDIS, 7)


def test_the_text_test_folds_each_text_it_is_given_in_turn() -> None:
    """The name is found whatever its case, also in a look-alike, and one text's folding
    (remembered for the next migration's test of the same file) never answers for another."""
    bitnami = major_image(
        "redis", REDIS_DISTRO_RELEASES, attrgetter("redis"), look_alikes=("Valkey",)
    )
    texts = [
        ("image: REDIS:6\n", True),
        ("image: docker.io/Bitnami/VALKEY:6\n", True),
        ("image: memcached:6\n", False),
        ("image: REDIS:7\n", False),
        ("image: ReDiS:${TAG}\n", True),
        ("", False),
    ]
    for _ in range(2):
        for text, expected in texts:
            copy = "".join(list(text))  # an equal text that is another object
            assert may_name_major_below(text, bitnami, 7) is expected, text
            assert may_name_major_below(copy, bitnami, 7) is expected, text


DIGEST = "@sha256:" + "0" * 64
# The same causes, said the same way for every image: (image, value, the refusal).
SAME_WORDING = [
    (PYTHON, "python:${PY:-3.10}", "python image 'python:${PY:-3.10}' has a templated tag"),
    (REDIS, "redis:${R:-6}", "redis image 'redis:${R:-6}' has a templated tag"),
    (PYTHON, "python:3.10" + DIGEST, "python:3.10 is pinned by digest; not changed (the digest"),
    (REDIS, "redis:6" + DIGEST, "redis:6 is pinned by digest; not changed (the digest"),
]


@pytest.mark.parametrize(("image", "value", "refusal"), SAME_WORDING)
def test_every_image_words_a_refusal_the_same_way(image: object, value: str, refusal: str) -> None:
    decision = decide_image(value, image, Targets())  # type: ignore[arg-type]
    assert decision is not None and decision.refusal.startswith(refusal), decision


@pytest.mark.parametrize(
    ("value", "moved"),
    [
        ("python:3.10-slim-bookworm", "python:3.12-slim-bookworm"),
        ("mirror.gcr.io/library/python:3.11.4", "mirror.gcr.io/library/python:3.12"),
        ("python:3.12-alpine", None),
        ("python:3", None),
        ("ghcr.io/acme/python:3.9", None),
    ],
)
def test_a_python_tag_moves_to_the_target_minor(value: str, moved: str | None) -> None:
    _assert_moved(value, decide_image(value, PYTHON, Targets()), moved)


@pytest.mark.parametrize(
    ("value", "other_build"),
    [
        ("bitnami/postgresql:14", True),
        ("zulip/zulip-postgresql:14", True),
        ("postgis/postgis:14-3.3", True),
        ("quay.io/prometheuscommunity/postgres-exporter:0.15.0", False),
        ("prodrigestivill/postgres-backup-local:12", False),
    ],
)
def test_postgres_tools_are_not_taken_for_other_builds(value: str, other_build: bool) -> None:
    import importlib

    postgres = importlib.import_module("modernize.migrations.0030_postgres_major").POSTGRES
    decision = decide_image(value, postgres, Targets())
    assert (decision is not None and "not the official" in decision.refusal) == other_build
