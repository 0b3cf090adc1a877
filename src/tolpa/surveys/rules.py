"""What a question and an answer may be. Pure checks on plain values: the services call them
before touching the database, so bad input changes nothing."""

from django.utils.translation import gettext as _

from tolpa.errors import InvalidInput
from tolpa.surveys.models import CHOICE_KINDS, Question, QuestionKind

MAX_QUESTIONS = 50
MIN_CHOICES, MAX_CHOICES = 2, 20
MAX_CHOICE_LENGTH = 200
MAX_PROMPT = 500
MAX_LABEL = 60
MAX_TEXT = 5000
SCALES = (5, 10)


def _int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _question_errors(spec: dict) -> tuple[dict, list[str]]:
    """A cleaned question and the problems found in it."""
    errors = []
    kind = spec.get("kind")
    if kind not in QuestionKind.values:
        return {}, [_("Choose a kind: single choice, multiple choice, scale or text.")]
    prompt = str(spec.get("prompt") or "").strip()
    if not prompt or len(prompt) > MAX_PROMPT:
        errors.append(_("Write a question of 1 to %(n)s characters.") % {"n": MAX_PROMPT})
    cleaned = {"kind": kind, "prompt": prompt, "required": bool(spec.get("required", True)),
               "choices": [], "scale_max": 5, "low_label": "", "high_label": "",
               "max_length": 1000}  # fmt: skip
    if kind in CHOICE_KINDS:
        raw = spec.get("choices") or []
        choices = [str(c).strip() for c in raw] if isinstance(raw, list) else []
        if not (MIN_CHOICES <= len(choices) <= MAX_CHOICES) or not all(choices):
            errors.append(_("Give 2 to 20 options, none empty."))
        elif len(set(choices)) != len(choices):
            errors.append(_("The options must be different."))
        elif max(map(len, choices)) > MAX_CHOICE_LENGTH:
            errors.append(_("An option is at most %(n)s characters.") % {"n": MAX_CHOICE_LENGTH})
        cleaned["choices"] = choices
    elif kind == QuestionKind.SCALE:
        scale_max = _int(spec.get("scale_max", 5))
        low, high = (str(spec.get(k) or "").strip() for k in ("low_label", "high_label"))
        if scale_max not in SCALES:
            errors.append(_("A scale runs 1–5 or 0–10."))
        if len(low) > MAX_LABEL or len(high) > MAX_LABEL:
            errors.append(_("An end label is at most %(n)s characters.") % {"n": MAX_LABEL})
        cleaned.update(scale_max=scale_max or 5, low_label=low, high_label=high)
    else:
        max_length = _int(spec.get("max_length", 1000))
        if max_length is None or not 1 <= max_length <= MAX_TEXT:
            errors.append(_("The longest answer is 1 to %(n)s characters.") % {"n": MAX_TEXT})
        cleaned["max_length"] = max_length or 1000
    return cleaned, errors


def questions_clean(specs) -> list[dict]:
    """Check every question; the errors are named `questions.<n>` (counting from 0)."""
    if not isinstance(specs, list) or not 1 <= len(specs) <= MAX_QUESTIONS:
        raise InvalidInput(
            fields={"questions": [_("Ask 1 to %(n)s questions.") % {"n": MAX_QUESTIONS}]}
        )
    cleaned, errors = [], {}
    for index, spec in enumerate(specs):
        question, problems = _question_errors(spec if isinstance(spec, dict) else {})
        if problems:
            errors[f"questions.{index}"] = problems
        cleaned.append(question)
    if errors:
        raise InvalidInput(fields=errors)
    return cleaned


def _answer_problem(question: Question, value):
    """(cleaned value, None) or (None, the problem)."""
    if question.kind == QuestionKind.SINGLE:
        if value not in question.choices:
            return None, _("Pick one of the options.")
        return value, None
    if question.kind == QuestionKind.MULTIPLE:
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or any(v not in question.choices for v in values):
            return None, _("Pick among the options.")
        if len(set(values)) != len(values):
            return None, _("Pick each option once.")
        return [c for c in question.choices if c in values], None
    if question.kind == QuestionKind.SCALE:
        number = _int(value)
        if number is None and isinstance(value, str) and value.strip().lstrip("-").isdigit():
            number = int(value)
        if number is None or number not in question.scale_values:
            return None, _("Pick a number from %(low)s to %(high)s.") % {
                "low": question.scale_min, "high": question.scale_max,
            }  # fmt: skip
        return number, None
    if not isinstance(value, str):
        return None, _("Write your answer as text.")
    text = value.strip()
    if len(text) > question.max_length:
        return None, _("At most %(n)s characters.") % {"n": question.max_length}
    return text, None


def _blank(value) -> bool:
    return (
        value is None
        or value == ""
        or value == []
        or (isinstance(value, str) and not value.strip())
    )


def answers_clean(questions: list[Question], answers) -> dict[str, object]:
    """Answers keyed by question id, checked against the questions: every required one
    answered, choices among the options, scales in range, texts within their limit. Errors
    are named after the question's form field (`question_<id>`)."""
    if not isinstance(answers, dict):
        raise InvalidInput(fields={"answers": [_("Send the answers as an object.")]})
    by_id = {str(q.pk): q for q in questions}
    unknown = [key for key in answers if str(key) not in by_id]
    if unknown:
        raise InvalidInput(fields={"answers": [_("Unknown questions: %(ids)s.") % {
            "ids": ", ".join(map(str, unknown[:10]))}]})  # fmt: skip
    given = {str(key): value for key, value in answers.items()}
    cleaned, errors = {}, {}
    for key, question in by_id.items():
        value = given.get(key)
        if _blank(value):
            if question.required:
                errors[question.field_name] = [_("This question needs an answer.")]
            continue
        value, problem = _answer_problem(question, value)
        if problem:
            errors[question.field_name] = [problem]
        else:
            cleaned[key] = value
    if errors:
        raise InvalidInput(fields=errors)
    return cleaned
