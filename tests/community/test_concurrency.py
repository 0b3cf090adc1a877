"""Many reports at once on real parallel connections (PostgreSQL; SQLite serializes)."""

import pytest
from django.db import connection, transaction

from tests.concurrency import run_in_parallel
from tolpa.community import services
from tolpa.community.models import ActionKind, Comment, CommentReport, ModerationAction

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_reports_auto_hide_exactly_once(post, user, make_user, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs real parallel PostgreSQL connections")
    settings.TOLPA_COMMENT_REPORTS_TO_HIDE = 3
    comment = post(user, "Contested")
    people = iter([make_user() for _ in range(6)])

    def report():
        with transaction.atomic():
            return services.comment_report(actor=next(people), comment_id=comment.pk, reason="bad")

    results = run_in_parallel(report, 6)
    assert not any(isinstance(r, Exception) for r in results), results
    assert CommentReport.objects.filter(comment=comment).count() == 6
    assert ModerationAction.objects.filter(action=ActionKind.AUTO_HIDE).count() == 1
    refreshed = Comment.objects.get(pk=comment.pk)
    assert refreshed.is_hidden
    assert refreshed.pending_reports == 6
