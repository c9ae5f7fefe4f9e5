"""The demo: the embedded SQLite trust under CASEBOARD_HOME, served on loopback."""

from caseboard.web.settings.base import *  # noqa: F403

DEMO = True
