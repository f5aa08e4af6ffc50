# Developer shortcuts; `make help` lists them.
.PHONY: help install lint typecheck test ci verify

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

install:  ## install the package with its test and validator extras
	python -m pip install -e '.[test,validate]'

lint:  ## ruff lint and format check
	ruff check . && ruff format --check .

typecheck:  ## mypy --strict on src/ and migrations/
	mypy

test:  ## the test suite
	python -m pytest -q

ci: lint typecheck test verify  ## everything CI runs

verify:  ## modernize's own standard, on this repository
	modernize verify .
