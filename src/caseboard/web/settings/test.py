"""Tests: the database comes from DATABASE_URL (the postgres tier) or is SQLite."""

from caseboard.web.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only
ALLOWED_HOSTS = ["*"]
DEMO = True
STATIC_ROOT = None  # whitenoise serves from the finders in tests
