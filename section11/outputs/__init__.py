"""Output files: one module per file, each building a pydantic model from fetched records.

Builders are pure (no I/O, no clock); the pipeline reads and writes through
``section11.store``. ftp_history.json is the exception that reads its own file, because an
unreadable history must be moved aside rather than rebuilt.

Nothing is imported here: a rerun with nothing new loads none of the builders.
"""
