"""Background work of the cycle: a release's PDF and EPUB, built after the release commits.

A build writes its file to the default storage under an unguessable name (it is downloaded only
through the permission-checked views, never from /media) and records it on the release; a build that
fails records why, and the brain trust can start it again (actions.manuals.do_retry_build)."""

import logging
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat
from django.utils import translation
from django_tasks import task

from .actions import sweep_reverification
from .models import BuildStatus, Release

logger = logging.getLogger(__name__)
MAX_ERROR = 2000


def _build(release_id: int, kind: str) -> str:
    from . import manual_files

    release = Release.objects.select_related("manual__panel").filter(pk=release_id).first()
    if release is None or getattr(release, f"{kind}_status") == BuildStatus.DONE:
        return "skipped"
    with translation.override(settings.LANGUAGE_CODE):
        try:
            data = manual_files.pdf_bytes(release) if kind == "pdf" else manual_files.epub_bytes(release)
        except Exception as exc:  # noqa: BLE001 - whatever broke the build is recorded for the brain trust
            logger.exception("Building the %s of release %s failed", kind, release_id)
            error = f"{kind.upper()}: {type(exc).__name__}: {exc}"[:MAX_ERROR] + "\n"
            Release.objects.filter(pk=release_id).update(
                **{f"{kind}_status": BuildStatus.FAILED}, build_error=Concat("build_error", Value(error))
            )
            return "failed"
    name = default_storage.save(
        f"releases/manual-{release.manual_id}-{release.number}-{secrets.token_urlsafe(12)}.{kind}", ContentFile(data)
    )
    Release.objects.filter(pk=release_id).update(**{kind: name, f"{kind}_status": BuildStatus.DONE})
    return name


@task()
def remind_reverification() -> int:
    """What `manage.py sweep_reverification` does, for a worker that schedules it."""
    return sweep_reverification()


@task()
def build_release_pdf(release_id: int) -> str:
    return _build(release_id, "pdf")


@task()
def build_release_epub(release_id: int) -> str:
    return _build(release_id, "epub")


def build_on_commit(release: Release) -> None:
    """Called by the actions inside their transaction: once it commits, the files still to make are built
    (by the worker in production; at once with the immediate backend)."""
    pk = release.pk
    if release.pdf_status == BuildStatus.PENDING:
        transaction.on_commit(lambda: build_release_pdf.enqueue(pk))
    if release.epub_status == BuildStatus.PENDING:
        transaction.on_commit(lambda: build_release_epub.enqueue(pk))
