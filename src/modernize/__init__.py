"""modernize: bring a repository's infrastructure files up to date, byte-exact outside each edit."""

__version__ = "0.1.0"
