"""Test-wide settings: fast hashing, throwaway media, plain static storage."""

import os
import tempfile

import pytest

pytest_plugins = ["platoo.tests.browser"]

# Playwright's sync API runs an event loop in the test thread; the ORM calls it would otherwise
# refuse there are the live server's, in other threads, or the tests' own setup before any loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config: pytest.Config) -> None:
    # Applied once, before any test class's setUpTestData creates users.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="platoo-test-media-")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
