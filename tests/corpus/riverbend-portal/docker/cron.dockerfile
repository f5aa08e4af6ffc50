FROM python:3.8
COPY scripts/ /scripts/
CMD ["python", "/scripts/nightly.py"]