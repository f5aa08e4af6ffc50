"""Rules several migrations share: image references and tags, the official-image major-tag bump,
python tag decisions, cheap text tests, and the survey of what a repository's Python files
import."""
