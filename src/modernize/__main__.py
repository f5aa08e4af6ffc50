"""``python -m modernize``: the same command line as the ``modernize`` script."""

from modernize.entry import main

# The guard matters: worker processes started by "spawn" (macOS, Windows) import this module.
if __name__ == "__main__":
    main()
