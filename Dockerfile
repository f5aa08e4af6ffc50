# syntax=docker/dockerfile:1
# Build the wheel in one stage, install it into a clean one.
FROM python:3.12-slim AS build
WORKDIR /src
COPY pyproject.toml README.md CHANGELOG.md LICENSE ./
COPY src ./src
COPY migrations ./migrations
RUN python -m pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

# A one-shot command-line tool has no service to health-check.  modernize: ignore[DF002]
FROM python:3.12-slim
LABEL org.opencontainers.image.title="modernize" \
      org.opencontainers.image.description="Bring a repository's infrastructure up to date, byte-exact" \
      org.opencontainers.image.licenses="MIT"
# Any uid may run it: `docker run -u "$(id -u):$(id -g)"` writes a bind-mounted repository as
# its owner. Nothing needs a home of its own, a user name or a writable site-packages, and no
# bytecode is written.
ENV HOME=/tmp \
    PYTHONDONTWRITEBYTECODE=1
COPY --from=build /wheels /wheels
RUN python -m pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels \
    && useradd --no-create-home --home-dir /tmp --uid 10001 modernize
USER 10001
WORKDIR /repo
ENTRYPOINT ["modernize"]
CMD ["--help"]
