"""Idea attachments are judged by their bytes: images through the project's Pillow checks,
PDF by its signature; anything else is refused with a message naming what is accepted."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from PIL import Image

from tolpa.ideas.models import Attachment
from tolpa.web.images import validate_image_upload

MAX_ATTACHMENTS = 5


def _head(upload, size: int = 8) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def check_attachment(upload) -> str:
    """The attachment kind, or ValidationError with a message for the person uploading."""
    if _head(upload).startswith(b"%PDF-"):
        cap = settings.TOLPA_MAX_FILE_BYTES
        if upload.size > cap:
            raise ValidationError(
                _("The PDF is too large; the limit is %(cap)s MB.") % {"cap": cap // 1048576}
            )
        return Attachment.Kind.PDF
    try:
        validate_image_upload(upload)
    except ValidationError as exc:
        if exc.code == "not_image":
            raise ValidationError(
                _("Attach an image (PNG, JPEG, WebP or GIF) or a PDF; this file is neither.")
            ) from exc
        raise
    return Attachment.Kind.IMAGE


def stored_name(upload, kind: str) -> tuple[str, str]:
    """A random storage name with the right extension, and a cleaned display name."""
    extension = "pdf"
    if kind == Attachment.Kind.IMAGE:
        upload.seek(0)
        with Image.open(upload) as image:
            extension = (image.format or "png").lower().replace("jpeg", "jpg")
        upload.seek(0)
    display = get_valid_filename((upload.name or "file").rsplit("/", 1)[-1])[:120] or "file"
    return f"{uuid.uuid4().hex}.{extension}", display
