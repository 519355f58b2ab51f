"""Image uploads people make (avatars, organization logos): checked for what they really are, then re-encoded.

Re-encoding with Pillow means what gets stored is pixels we produced ourselves: no polyglot
files, no scripts hiding in an SVG or HTML body, no EXIF (which can carry a home's GPS position).
"""

import io
import uuid
from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow format name -> the extensions a file of that format may honestly carry.
ACCEPTED_FORMATS: dict[str, tuple[str, ...]] = {
    "JPEG": (".jpg", ".jpeg"),
    "PNG": (".png",),
    "GIF": (".gif",),
    "WEBP": (".webp",),
}
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/gif,image/webp"
MAX_PIXELS = 40_000_000  # a 40-megapixel photo decodes to ~160 MB; anything larger is refused unread
MAX_SIDE = 800  # stored images are shown at most ~200 px wide; 800 keeps them sharp on dense screens


def reencode_image(upload: File[Any]) -> SimpleUploadedFile:
    """The upload as a fresh, metadata-free image file, or a ValidationError saying what is wrong."""
    limit_mb = settings.MAX_IMAGE_MB
    if upload.size is not None and upload.size > limit_mb * 1024 * 1024:
        raise forms.ValidationError(
            _("This image is %(size).1f MB; the limit is %(limit)d MB. Please choose a smaller image."),
            code="image_too_large",
            params={"size": upload.size / 1024 / 1024, "limit": limit_mb},
        )
    try:
        with Image.open(upload) as probe:
            real_format = probe.format or ""
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise forms.ValidationError(
            _("This file is not an image we can read. Please upload a JPEG, PNG, GIF or WebP image."),
            code="not_an_image",
        ) from exc
    if real_format not in ACCEPTED_FORMATS:
        raise forms.ValidationError(
            _("%(format)s images are not accepted. Please upload a JPEG, PNG, GIF or WebP image."),
            code="image_format",
            params={"format": real_format},
        )
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in ACCEPTED_FORMATS[real_format]:
        raise forms.ValidationError(
            _(
                "The file name ends in “%(extension)s” but the file is really a %(format)s image. "
                "Rename it to end in %(expected)s, or export it again from your image editor."
            ),
            code="lying_extension",
            params={
                "extension": extension or "—",
                "format": real_format,
                "expected": ACCEPTED_FORMATS[real_format][0],
            },
        )
    if width * height > MAX_PIXELS:
        raise forms.ValidationError(
            _("This image is %(width)d × %(height)d pixels, too large to process. Please resize it first."),
            code="image_dimensions",
            params={"width": width, "height": height},
        )
    return _reencode(upload, real_format)


def _reencode(upload: File[Any], real_format: str) -> SimpleUploadedFile:
    upload.seek(0)
    with Image.open(upload) as original:
        image = ImageOps.exif_transpose(original)
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        # JPEG stays JPEG (photos); everything else becomes PNG, which keeps transparency.
        if real_format == "JPEG":
            image = image.convert("RGB")
            out_format, extension, content_type, options = "JPEG", ".jpg", "image/jpeg", {"quality": 88}
        else:
            image = image.convert("RGBA")
            out_format, extension, content_type, options = "PNG", ".png", "image/png", {"optimize": True}
        buffer = io.BytesIO()
        image.save(buffer, out_format, **options)
    return SimpleUploadedFile(f"{uuid.uuid4().hex}{extension}", buffer.getvalue(), content_type=content_type)


class ImageUploadField(forms.FileField):
    """A file field that accepts only real images within the size limit and stores them re-encoded."""

    widget = forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE})

    def to_python(self, data: Any) -> Any:
        upload = super().to_python(data)
        if upload is None:
            return None
        return reencode_image(upload)
