"""Reading a batch: CSV or JSON rows, checked against the project's template before anything
is saved, with every problem named by row and column. Media are http(s) URLs or files
from an uploaded zip, matched by name."""

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from tolpa.errors import InvalidInput
from tolpa.microtasks.answers import answer_clean
from tolpa.microtasks.models import Project, Template

MEDIA_COLUMNS = {
    Template.CLASSIFY: ("image",),
    Template.CAPTION: ("image",),
    Template.TRANSCRIBE: ("media",),
    Template.PROOFREAD: (),
    Template.COMPARE: ("left", "right"),
    Template.RECORD: (),
}
TEXT_COLUMNS = {Template.PROOFREAD: ("text",)}
MAX_ROWS = 200_000
MAX_ZIP_FILES = 20_000


@dataclass(frozen=True)
class Row:
    external_id: str
    data: dict
    gold_answer: dict | None


def _error(message: str, field: str = "file") -> InvalidInput:
    return InvalidInput(message, fields={field: [message]})


def required_columns(project: Project) -> tuple[str, ...]:
    if project.template == Template.RECORD:
        return tuple(project.fields)
    return MEDIA_COLUMNS[project.template] + TEXT_COLUMNS.get(project.template, ())


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _error(
            _("The file is not UTF-8 (line %(line)s). Save it as UTF-8 and upload again.")
            % {"line": line}
        ) from exc


def _records(raw: bytes, name: str) -> list[dict]:
    text = _decode(raw)
    if name.lower().endswith(".json") or text.lstrip().startswith(("[", "{")):
        try:
            records = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _error(
                _("The JSON is not valid (line %(line)s).") % {"line": exc.lineno}
            ) from exc
        if isinstance(records, dict):
            records = records.get("tasks")
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise _error(_("JSON must be a list of objects, one per task."))
        return records
    try:
        return list(csv.DictReader(io.StringIO(text)))
    except csv.Error as exc:
        raise _error(_("The CSV cannot be read: %(error)s") % {"error": exc}) from exc


class MediaZip:
    """Files of an uploaded zip by base name; checked for bombs before anything is stored."""

    def __init__(self, upload):
        try:
            self.archive = zipfile.ZipFile(upload)
        except zipfile.BadZipFile as exc:
            raise _error(_("The media file is not a zip archive."), "media") from exc
        members = [m for m in self.archive.infolist() if not m.is_dir()]
        if len(members) > MAX_ZIP_FILES:
            raise _error(_("The zip holds too many files."), "media")
        if sum(m.file_size for m in members) > settings.TOLPA_MAX_BATCH_BYTES * 4:
            raise _error(_("The zip unpacks to too much data."), "media")
        self.members = {PurePosixPath(m.filename).name: m for m in members}
        self.stored: dict[str, str] = {}

    def url_for(self, name: str) -> str | None:
        if name not in self.members:
            return None
        if name not in self.stored:
            content = ContentFile(self.archive.read(self.members[name]))
            path = default_storage.save(f"microtasks/media/{name}", content)
            self.stored[name] = default_storage.url(path)
        return self.stored[name]


def _media(value: str, row: int, column: str, media: MediaZip | None) -> str:
    if value.startswith(("http://", "https://")):
        return value
    url = media.url_for(value) if media and value else None
    if url is None:
        raise _error(
            _("Row %(row)s, column %(column)s: give an http(s) URL or a file name from the zip.")
            % {"row": row, "column": column}
        )
    return url


def read_rows(project: Project, upload, media_upload=None) -> list[Row]:
    """Every row as a task, or an InvalidInput naming the first bad row and column."""
    if upload.size > settings.TOLPA_MAX_BATCH_BYTES:
        raise _error(
            _("The file is larger than %(mb)s MB; split it into several batches.")
            % {"mb": settings.TOLPA_MAX_BATCH_BYTES // 1048576}
        )
    records = _records(upload.read(), upload.name or "")
    if not records:
        raise _error(_("The file has no rows."))
    if len(records) > MAX_ROWS:
        raise _error(_("At most %(n)s rows per batch.") % {"n": MAX_ROWS})
    columns = required_columns(project)
    missing = [c for c in columns if c not in records[0]]
    if missing:
        raise _error(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    media = MediaZip(media_upload) if media_upload else None
    rows, seen = [], set()
    for number, record in enumerate(records, start=1):
        external_id = str(record.get("id") or number).strip()[:100]
        if external_id in seen:
            raise _error(
                _("Row %(row)s: task id %(id)s appears twice.") % {"row": number, "id": external_id}
            )
        seen.add(external_id)
        data = {}
        for column in columns:
            value = str(record.get(column) or "").strip()
            if not value:
                raise _error(
                    _("Row %(row)s: column %(column)s is empty.")
                    % {"row": number, "column": column}
                )
            if column in MEDIA_COLUMNS[project.template]:
                value = _media(value, number, column, media)
            data[column] = value
        gold = str(record.get("gold") or "").strip()
        gold_answer = None
        if gold:
            try:
                gold_answer = answer_clean(project, _gold_as_answer(project, gold))
            except InvalidInput as exc:
                raise _error(
                    _("Row %(row)s: the gold answer does not fit the template (%(why)s).")
                    % {"row": number, "why": exc.summary()}
                ) from exc
        rows.append(Row(external_id, data, gold_answer))
    return rows


def _gold_as_answer(project: Project, gold: str) -> dict:
    """The gold column holds the plain answer; records take it as JSON of their fields."""
    if project.template == Template.CLASSIFY:
        return {"label": gold}
    if project.template == Template.COMPARE:
        return {"choice": gold}
    if project.template == Template.RECORD:
        try:
            return {"fields": json.loads(gold)}
        except json.JSONDecodeError:
            return {"fields": None}
    return {"text": gold}
