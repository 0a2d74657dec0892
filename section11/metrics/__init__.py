"""Pure metric functions over typed records: no I/O, no clock, None in -> None out.

Import from the modules (``section11.metrics.load``, ``.zones``, ...): nothing is
imported here, so that a run loads only the metrics it computes.
"""
