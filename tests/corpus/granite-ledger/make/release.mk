VERSION ?= $(shell git describe --tags --always)

release-images:
	docker-compose -f docker-compose.yml build --pull
	docker-compose -f docker-compose.yml push

check-tools:
	@command -v docker-compose >/dev/null 2>&1 || { echo >&2 "docker-compose is required"; exit 1; }
	@docker-compose version --short
