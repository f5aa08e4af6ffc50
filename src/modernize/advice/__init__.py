"""``modernize advise``: what the versions a repository moves to break in it, found offline by
reading its files (never running them). ``hazards`` is the table, ``python_code`` and ``infra``
find what its rows name, ``advising`` decides which hold for one repository's jump."""
