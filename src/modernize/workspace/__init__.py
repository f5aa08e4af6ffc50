"""The repository on disk: discovery, reading, ignore rules, configuration, the changelog file
and atomic writes."""
