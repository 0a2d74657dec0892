"""Privacy levels and the pass that applies them to every file the mirror writes.

- :mod:`.levels`: :class:`~.levels.PrivacyLevel`, its parsing and ``privacy_relaxed``
  (read by the settings on every run);
- :mod:`.apply`: ``protect_documents``, called once per sync on all documents just
  before they are written; the field lists that drive it are in :mod:`.fields`;
- :mod:`.geo`: privacy zones and coordinate rounding.

Nothing is imported here, so that reading the settings does not load the pass.
"""
