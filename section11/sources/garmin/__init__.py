"""Garmin Connect as a second source (see docs/garmin.md): a session resumed from the
tokens ``section11 garmin-login`` printed, Garmin's daily signals, and activities.

Nothing is imported here: ``section11.config`` reads :mod:`.settings` on every run, and
an Intervals.icu-only run must not load the Garmin client. Import from the modules:
:mod:`.settings`, :mod:`.tokens`, :mod:`.client`, :mod:`.signals`.
"""
