from python:3.9-slim as build
maintainer "Ops \"on call\" <ops@wrenfield.example>"
run pip wheel --wheel-dir /wheels wrenfield-media[worker]==4.2.0

from python:3.9-slim
copy --from=build /wheels /wheels
run pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
cmd ["wrenfield-worker"]
