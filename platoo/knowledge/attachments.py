"""Attachment files: what is accepted (judged by content, not by name) and how their text is read."""

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from platoo.lib.text import clean_text

StrOrPromise = str | Promise


@dataclass(frozen=True)
class FileKind:
    label: StrOrPromise
    content_type: str
    extensions: frozenset[str]
    has_text: bool = True


DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

PDF = FileKind(gettext_lazy("PDF document"), "application/pdf", frozenset({".pdf"}))
DOCX = FileKind(gettext_lazy("Word document"), DOCX_MAIN, frozenset({".docx"}))
XLSX = FileKind(gettext_lazy("Excel workbook"), XLSX_MAIN, frozenset({".xlsx"}))
PNG = FileKind("PNG", "image/png", frozenset({".png"}), has_text=False)
JPEG = FileKind("JPEG", "image/jpeg", frozenset({".jpg", ".jpeg"}), has_text=False)
GIF = FileKind("GIF", "image/gif", frozenset({".gif"}), has_text=False)
WEBP = FileKind("WebP", "image/webp", frozenset({".webp"}), has_text=False)
KINDS = (PDF, DOCX, XLSX, PNG, JPEG, GIF, WEBP)
_BY_MIME = {kind.content_type: kind for kind in KINDS}
ACCEPT = ",".join(sorted(ext for kind in KINDS for ext in kind.extensions))

# Files up to this size have their text read during the upload, so the uploader hears about
# unreadable files at once; bigger ones are read by a background task.
INLINE_EXTRACT_MAX_BYTES = 2 * 1024 * 1024
# A DOCX or XLSX is a zip; refuse archives that would inflate far beyond any real document.
MAX_UNZIPPED_BYTES = 300 * 1024 * 1024
# Enough text for search; a 5,000-page report should not bloat the index.
MAX_TEXT_CHARS = 2_000_000


class ExtractionError(Exception):
    """The file is of an accepted type, but its text could not be read (corrupt, encrypted…)."""


def _ooxml_kind(stream: IO[bytes]) -> FileKind | None:
    """DOCX or XLSX, judged by the package's declared main part, or None for any other zip."""
    try:
        with zipfile.ZipFile(stream) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
                return None
            types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return None
    if f"{DOCX_MAIN}.main+xml" in types:
        return DOCX
    if f"{XLSX_MAIN}.main+xml" in types:
        return XLSX
    return None


def sniff(upload: File) -> FileKind | None:
    """The file's real kind from its content, or None if it is not one we accept."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    guess = filetype.guess(head)
    if guess is None:
        return None
    if guess.mime in _BY_MIME and guess.mime not in (DOCX_MAIN, XLSX_MAIN):
        return _BY_MIME[guess.mime]
    if guess.mime in ("application/zip", DOCX_MAIN, XLSX_MAIN):
        kind = _ooxml_kind(upload)
        upload.seek(0)
        return kind
    return None


def validate_upload(upload: File) -> FileKind:
    """Check size, real type and that the name's extension agrees; the message says what to do."""
    name = PurePath(upload.name or "").name
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files can be at most %(limit)s. Compress it or split it, then attach it again.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_big",
        )
    if not upload.size:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    kind = sniff(upload)
    allowed = ", ".join(sorted({ext.lstrip(".").upper() for k in KINDS for ext in k.extensions}))
    if kind is None:
        raise ValidationError(
            _("“%(name)s” is not a file type we accept. Attach %(allowed)s files.")
            % {"name": name, "allowed": allowed},
            code="bad_type",
        )
    extension = PurePath(name).suffix.lower()
    if extension not in kind.extensions:
        raise ValidationError(
            _(
                "“%(name)s” is named like a %(extension)s file, but its content is a %(real)s. "
                "Rename it to %(expected)s or attach the right file."
            )
            % {
                "name": name,
                "extension": extension.lstrip(".").upper() or _("(no extension)"),
                "real": kind.label,
                "expected": sorted(kind.extensions)[0],
            },
            code="lying_extension",
        )
    return kind


def _pdf_text(stream: IO[bytes]) -> str:
    from pypdf import PdfReader

    reader = PdfReader(stream)
    if reader.is_encrypted:
        raise ExtractionError("encrypted PDF")
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _docx_text(stream: IO[bytes]) -> str:
    import docx

    document = docx.Document(stream)
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def _xlsx_text(stream: IO[bytes]) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(stream, read_only=True, data_only=True)
    try:
        lines = [
            "\t".join(str(value) for value in row if value is not None)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
        ]
    finally:
        workbook.close()
    return "\n".join(line for line in lines if line)


_EXTRACTORS = {PDF.content_type: _pdf_text, DOCX.content_type: _docx_text, XLSX.content_type: _xlsx_text}


def extract_text(data: bytes, content_type: str) -> str:
    """The file's text, cleaned for the index; ExtractionError when the file cannot be read."""
    extractor = _EXTRACTORS.get(content_type)
    if extractor is None:
        return ""
    try:
        text = extractor(io.BytesIO(data))
    except ExtractionError:
        raise
    except Exception as exc:  # noqa: BLE001 - parsers raise anything on a damaged file; all mean "unreadable"
        raise ExtractionError(str(exc)) from exc
    return clean_text(text)[:MAX_TEXT_CHARS]
