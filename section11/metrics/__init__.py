"""Pure metric functions over typed records: no I/O, no clock, None in -> None out."""
