"""Move the python images of Kubernetes manifests and Helm charts to the target.

What: a container's ``image: python:3.10-slim`` in a Kubernetes manifest (any YAML file with
``apiVersion`` and ``kind``: a Pod, a Deployment, a Job, a CronJob; ``containers``,
``initContainers`` and ``ephemeralContainers``), a Kustomization's ``images`` (``name:
python`` with its ``newTag``), and in a Helm chart's ``values.yaml`` an ``image`` string or a
``repository: python`` beside a ``tag: "3.10-slim"``, follow the Dockerfile rule (variants
checked against the shipped knowledge; a plain tag that would read as a number is written
quoted). An image a template (``templates/*.yaml``, or any file with ``{{``) writes literally is
reported at its line: a template is not YAML until it is rendered.

Why: a cluster that runs the old interpreter runs another Python than the image CI tested.

Example::

    containers:                             containers:
      - name: worker                          - name: worker
        image: python:3.10-slim      ->         image: python:3.12-slim

Refuses (reported): what the Dockerfile rule refuses (digests, variants not built for the
target, look-alike images), a split image with a ``digest`` beside its tag, templated tags, and
every literal image of a template. Left
silently: YAML files that are not manifests, and images at or above the target. Postgres images
here are moved by ``postgres-major``, with the data warning when a container mounts the data
directory. A comment that may explain the pin keeps it; a project that cannot run the target
keeps its manifests.
"""

from __future__ import annotations

from collections.abc import Iterator

from modernize.authoring import Context, Document, Edit, Notice
from modernize.rules import kubernetes
from modernize.rules.pythontags import PYTHON
from modernize.rules.textcheck import yaml_escapes
from modernize.rules.variants import may_name_variant_at
from modernize.rules.versions import minor_below

ID = "kubernetes-python"
TITLE = "Move python images of Kubernetes manifests and Helm values to the target"
#: A manifest may have any name: ``app.yaml`` and ``template.yaml`` are read as manifests too
#: when their content says they are.
KINDS = ("manifest", "helm-values", "helm-template", "app-engine", "aws-sam")
#: It moves a file's Python: a file whose project cannot run the target stays.
MOVES = "python"
CODE = "M026"
#: What a pending change is, as ``verify`` reports it.
FINDING = "Kubernetes python image below the target"


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    held = context.survey.python_held(document.path) if context.survey else ""
    for moved in kubernetes.image_results(document, PYTHON, context.targets):
        if held and kubernetes.is_template(document):
            # A template's report, in a project that cannot run the target: it stays too.
            yield Notice(moved.node_offset, f"not changed: {held}", advisory=True)
            continue
        yield moved.result


def touches(text: str, context: Context) -> bool:
    targets = context.targets
    return yaml_escapes(text) or (
        "python" in text.lower()  # the image's name, in any case
        and (
            minor_below(text, targets.python)
            or "{{" in text
            or may_name_variant_at(text, "python", targets.python_minor)
        )
    )
