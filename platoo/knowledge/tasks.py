"""Background work for knowledge items: reading the text of attached files for search."""

import logging

from django.db import transaction
from django_tasks import task

from platoo.search.index import update_index

from .attachments import ExtractionError, extract_text
from .models import Attachment, TextStatus

logger = logging.getLogger(__name__)


@transaction.atomic
def save_extracted_text(attachment: Attachment, data: bytes) -> None:
    """Store the file's text (empty, marked FAILED, when unreadable) and re-index its item."""
    try:
        attachment.extracted_text = extract_text(data, attachment.content_type)
        attachment.text_status = TextStatus.DONE
    except ExtractionError as exc:
        logger.warning("Could not read the text of attachment %s: %s", attachment.pk, exc)
        attachment.extracted_text = ""
        attachment.text_status = TextStatus.FAILED
    attachment.save(update_fields=["extracted_text", "text_status"])
    update_index(attachment.item)


@task()
def extract_attachment_text(attachment_id: int) -> None:
    attachment = Attachment.objects.select_related("item").filter(pk=attachment_id).first()
    if attachment is None:
        return  # removed before the worker got to it
    try:
        with attachment.file.open("rb") as stored:
            data = stored.read()
    except OSError:
        logger.exception("Attachment %s has no readable file", attachment_id)
        Attachment.objects.filter(pk=attachment_id).update(text_status=TextStatus.FAILED)
        return
    save_extracted_text(attachment, data)
