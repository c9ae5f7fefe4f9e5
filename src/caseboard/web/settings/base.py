"""Django settings, built from caseboard.config (CASEBOARD_HOME, DATABASE_URL).

Environment: CASEBOARD_SECRET_KEY (else a key kept in CASEBOARD_HOME/secret_key, made on first
use), CASEBOARD_ALLOWED_HOSTS (comma-separated, default 127.0.0.1,localhost), CASEBOARD_DEBUG.
"""

import os
import secrets
from pathlib import Path

from csp.constants import NONE, SELF

from caseboard import config as caseboard_config

CONFIG = caseboard_config.load()
WEB_DIR = Path(__file__).resolve().parent.parent


def _secret_key() -> str:
    if key := os.environ.get("CASEBOARD_SECRET_KEY"):
        return key
    path = CONFIG.home / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def database_settings(database: caseboard_config.Database) -> dict:
    if database.is_sqlite:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": database.name,
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": database.name,
        "HOST": database.host,
        "PORT": database.port or "",
        "USER": database.user,
        "PASSWORD": database.password,
        "CONN_MAX_AGE": 60,
    }


SECRET_KEY = _secret_key()
DEMO = False  # demo settings print the demo password
DEBUG = os.environ.get("CASEBOARD_DEBUG") == "1"
ALLOWED_HOSTS = os.environ.get("CASEBOARD_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "caseboard.records",
    "caseboard.web.accounts",
    "caseboard.web.audit",
    "caseboard.web.supervision",
    "caseboard.web.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "caseboard.web.urls"
WSGI_APPLICATION = "caseboard.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "caseboard.web.jinja.environment"},
    },
]

DATABASES = {"default": database_settings(CONFIG.database)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = CONFIG.static_root
STATICFILES_DIRS = [WEB_DIR / "static"]
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline script or style anywhere: every page complies from the start.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
