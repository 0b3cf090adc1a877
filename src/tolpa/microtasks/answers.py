"""What an answer is for each template, and how two answers compare: one place, used by
submission, gold checks, imports of gold answers and aggregation."""

import json

from django.utils.translation import gettext as _

from tolpa.errors import InvalidInput
from tolpa.microtasks.models import Project, Template

MAX_TEXT = 5000


def answer_clean(project: Project, answer) -> dict:
    """The answer in its canonical shape, or InvalidInput saying what does not fit."""
    if not isinstance(answer, dict):
        raise InvalidInput(fields={"answer": [_("Send the answer as an object.")]})
    template = project.template
    if template == Template.CLASSIFY:
        label = answer.get("label")
        if label not in project.labels:
            raise InvalidInput(fields={"label": [_("Choose one of the labels.")]})
        return {"label": label}
    if template == Template.COMPARE:
        choice = answer.get("choice")
        if choice not in ("left", "right"):
            raise InvalidInput(fields={"choice": [_("Choose left or right.")]})
        return {"choice": choice}
    if template == Template.RECORD:
        fields = answer.get("fields")
        if not isinstance(fields, dict):
            raise InvalidInput(fields={"fields": [_("Fill in every field.")]})
        cleaned = {}
        for name in project.fields:
            value = fields.get(name)
            if not isinstance(value, str) or len(value) > MAX_TEXT:
                raise InvalidInput(fields={name: [_("Fill in this field.")]})
            cleaned[name] = value.strip()
        return {"fields": cleaned}
    text = answer.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput(fields={"text": [_("Write the answer; it cannot be empty.")]})
    if len(text) > MAX_TEXT:
        raise InvalidInput(fields={"text": [_("At most 5000 characters.")]})
    return {"text": " ".join(text.split())}


def answer_key(project: Project, answer: dict) -> str:
    """A string the aggregation engine compares: the label, the choice, the text or the record."""
    if project.template == Template.CLASSIFY:
        return answer["label"]
    if project.template == Template.COMPARE:
        return answer["choice"]
    if project.template == Template.RECORD:
        return json.dumps(answer["fields"], sort_keys=True, ensure_ascii=False)
    return answer["text"]


def answers_match(project: Project, given: dict, expected: dict) -> bool:
    """Gold check. Texts match when they agree ignoring case and spacing."""
    if project.is_text:
        return answer_key(project, given).casefold() == answer_key(project, expected).casefold()
    return answer_key(project, given) == answer_key(project, expected)
