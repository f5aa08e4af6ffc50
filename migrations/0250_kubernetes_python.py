"""Move the python images of Kubernetes manifests and Helm charts to the target.

What: a container's ``image: python:3.10-slim`` in a Kubernetes manifest (any YAML file with
``apiVersion`` and ``kind``: a Pod, a Deployment, a Job, a CronJob; ``containers``,
``initContainers`` and ``ephemeralContainers``), and in a Helm chart's ``values.yaml`` an
``image`` string or a ``repository: python`` beside a ``tag: "3.10-slim"``, follow the
Dockerfile rule (variants checked against the shipped knowledge). An image a Helm template
(``templates/*.yaml``) writes literally is reported at its line: a template is not YAML until
Helm renders it.

Why: a cluster that runs the old interpreter runs another Python than the image CI tested.

Example::

    containers:                             containers:
      - name: worker                          - name: worker
        image: python:3.10-slim      ->         image: python:3.12-slim

Refuses (reported): what the Dockerfile rule refuses (digests, variants not built for the
target, look-alike images), templated tags, and every literal image of a Helm template. Left
silently: YAML files that are not manifests, and images at or above the target. Postgres images
here are moved by ``postgres-major``, with the data warning when a container mounts the data
directory. A comment that may explain the pin keeps it; a project that cannot run the target
keeps its manifests.
"""

from __future__ import annotations

from collections.abc import Iterator

from modernize.authoring import Context, Document, Edit, Notice
from modernize.rules import kubernetes
from modernize.rules.imagetags import decide_image, yaml_tag_edit
from modernize.rules.pythontags import PYTHON, yaml_python_image
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
    targets = context.targets
    if document.kind == "helm-template":
        for offset, reference in kubernetes.template_images(document.text):
            decision = decide_image(reference, PYTHON, targets)
            if decision is not None and not decision.advisory:
                yield Notice(
                    offset,
                    f"{reference}: a Helm template is not YAML until Helm renders it: not "
                    f"changed; move it to python {targets.python_minor} by hand",
                )
        return
    if document.kind != "helm-values":
        for container in kubernetes.containers(document):
            yield from yaml_python_image(document, container.image, targets)
        return
    for image in kubernetes.values_images(document):
        if not isinstance(image, kubernetes.SplitImage):
            yield from yaml_python_image(document, image, targets)
            continue
        decision = decide_image(kubernetes.split_reference(image), PYTHON, targets)
        if decision is None:
            continue
        if decision.refusal:
            yield Notice(image.tag.start_mark.index, decision.refusal, advisory=decision.advisory)
            continue
        yield yaml_tag_edit(document, image.tag, 0, decision.length, decision.replacement)


def touches(text: str, context: Context) -> bool:
    targets = context.targets
    return "python" in text and (
        minor_below(text, targets.python)
        or "{{" in text
        or may_name_variant_at(text, "python", targets.python_minor)
    )
