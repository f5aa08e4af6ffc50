# Shared compose helpers, included from the top-level Makefile.
COMPOSE ?= docker-compose
COMPOSE_FILE ?= docker-compose.yaml

.PHONY: up down ps docker-compose-up docker-compose-down

up: docker-compose-up
down: docker-compose-down

docker-compose-up:
	$(COMPOSE) -f $(COMPOSE_FILE) up -d

docker-compose-down:
	$(COMPOSE) -f $(COMPOSE_FILE) down --remove-orphans

ps:
	@$(COMPOSE) ps
