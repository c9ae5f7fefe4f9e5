"""``python -m caseboard``: the command line, as the ``caseboard`` command."""

from caseboard.cli import app

app()
