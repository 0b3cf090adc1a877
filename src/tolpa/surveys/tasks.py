"""Survey job: close surveys past their deadline or full and settle those whose award is
given or whose award window passed, returning the unused budget once. Idempotent."""

from celery import shared_task
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from tolpa.surveys import services
from tolpa.surveys.models import Survey, SurveyStatus


@shared_task(name="surveys.close_due")
def close_due_surveys() -> int:
    now = timezone.now()
    due = Survey.objects.filter(
        Q(status=SurveyStatus.LIVE)
        & (Q(campaign__ends_at__lte=now) | Q(responses_count__gte=F("max_responses")))
        | Q(status=SurveyStatus.CLOSED)
    ).values_list("pk", flat=True)
    changed = 0
    for survey_id in due:
        with transaction.atomic():
            changed += services.survey_finish(survey_id=survey_id, now=now)
    return changed
