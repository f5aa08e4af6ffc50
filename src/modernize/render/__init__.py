"""What a run shows: diffs, colour, reports, verify's JSON and SARIF, the ``--verbose`` lines; text
only, printed by the command line."""
