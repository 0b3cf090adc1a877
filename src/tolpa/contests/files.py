"""Entry files are judged by their bytes, never by their names: images through Pillow,
SVG parsed and refused when it carries scripts or external references, PDF and video by
their signatures and size caps."""

import hashlib
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image

from tolpa.contests.models import MediaKind
from tolpa.web.images import validate_image_upload

THUMBNAIL_SIZE = (480, 480)
SVG_FORBIDDEN_TAGS = {"script", "foreignobject", "iframe", "embed", "object", "handler"}
EXTERNAL_REFERENCE = re.compile(r"^\s*(javascript|data|https?|file|ftp):|^\s*//", re.IGNORECASE)


@dataclass(frozen=True)
class CheckedFile:
    media_kind: str
    sha256: str
    thumbnail: ContentFile | None


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def head_bytes(upload, size: int = 64) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _cap(upload, cap: int, label: str) -> None:
    if upload.size > cap:
        raise ValidationError(
            _("The %(label)s is too large (%(size)s MB); the limit is %(cap)s MB.")
            % {
                "label": label,
                "size": round(upload.size / 1048576, 1),
                "cap": round(cap / 1048576),
            },
            code="too_large",
        )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def check_svg(upload) -> None:
    """Refuse SVG that could run code or fetch anything when opened on its own."""
    _cap(upload, settings.TOLPA_MAX_IMAGE_BYTES, _("image"))
    upload.seek(0)
    raw = upload.read()
    upload.seek(0)
    if b"<!ENTITY" in raw or b"<!DOCTYPE" in raw.upper():
        raise ValidationError(_("SVG files with a DOCTYPE or entities are refused."), code="svg")
    try:
        root = ET.fromstring(raw)  # noqa: S314 - no DOCTYPE or entities reach the parser
    except ET.ParseError as exc:
        raise ValidationError(_("The file is not a valid SVG image."), code="svg") from exc
    if _local(root.tag) != "svg":
        raise ValidationError(_("The file is not a valid SVG image."), code="svg")
    for element in root.iter():
        if _local(element.tag) in SVG_FORBIDDEN_TAGS:
            raise ValidationError(
                _("SVG files with scripts or embedded content are refused."), code="svg"
            )
        for name, value in element.attrib.items():
            attribute = _local(name)
            if attribute.startswith("on"):
                raise ValidationError(
                    _("SVG files with scripts or embedded content are refused."), code="svg"
                )
            if attribute == "href" and EXTERNAL_REFERENCE.search(value):
                raise ValidationError(_("SVG files may not link to outside resources."), code="svg")
            if "url(" in value.lower() and EXTERNAL_REFERENCE.search(value.split("url(", 1)[1]):
                raise ValidationError(_("SVG files may not link to outside resources."), code="svg")


def _thumbnail(upload) -> ContentFile:
    upload.seek(0)
    with Image.open(upload) as image:
        image = image.convert("RGB")
        image.thumbnail(THUMBNAIL_SIZE)
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=82)
    upload.seek(0)
    return ContentFile(buffer.getvalue(), name="thumbnail.jpg")


def _is_video(head: bytes) -> bool:
    is_mp4 = head[4:8] == b"ftyp"
    is_webm = head[:4] == b"\x1a\x45\xdf\xa3"
    return is_mp4 or is_webm


def check_entry_file(upload, *, allow_video: bool) -> CheckedFile:
    """What kind of file this really is, its hash and a thumbnail where one can be made."""
    head = head_bytes(upload)
    if head.startswith(b"%PDF-"):
        _cap(upload, settings.TOLPA_MAX_FILE_BYTES, _("PDF"))
        return CheckedFile(MediaKind.PDF, sha256_of(upload), None)
    if _is_video(head):
        if not allow_video:
            raise ValidationError(_("Videos are accepted only in video contests."), code="video")
        _cap(upload, settings.TOLPA_MAX_VIDEO_BYTES, _("video"))
        return CheckedFile(MediaKind.VIDEO, sha256_of(upload), None)
    if b"<svg" in head_bytes(upload, 2048).lower():
        check_svg(upload)
        return CheckedFile(MediaKind.SVG, sha256_of(upload), None)
    validate_image_upload(upload)
    return CheckedFile(MediaKind.IMAGE, sha256_of(upload), _thumbnail(upload))


def check_poster(upload) -> ContentFile:
    """A video's optional poster frame becomes its thumbnail."""
    validate_image_upload(upload)
    return _thumbnail(upload)
