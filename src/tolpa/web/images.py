"""Uploaded images are checked by content with Pillow, never by file name."""

import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

ALLOWED_IMAGE_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}


def validate_image_upload(upload) -> None:
    """Refuse files over the size cap, non-images, unknown formats and decompression bombs."""
    cap = settings.TOLPA_MAX_IMAGE_BYTES
    if upload.size > cap:
        raise ValidationError(
            _("The image is too large (%(size)s MB); the limit is %(cap)s MB.")
            % {"size": round(upload.size / 1048576, 1), "cap": round(cap / 1048576, 1)},
            code="too_large",
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format = image.format
                width, height = image.size
                if width * height > settings.TOLPA_MAX_IMAGE_PIXELS:
                    raise Image.DecompressionBombError("too many pixels")
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("The image has too many pixels to be processed safely."), code="bomb"
        ) from exc
    except Exception as exc:
        raise ValidationError(_("The file is not a valid image."), code="not_image") from exc
    finally:
        upload.seek(0)
    if image_format not in ALLOWED_IMAGE_FORMATS:
        raise ValidationError(
            _("Unsupported image format; use PNG, JPEG, WebP or GIF."), code="format"
        )
