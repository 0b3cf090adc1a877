"""Crowdfunding jobs: settle every campaign past its deadline, exactly once."""

from celery import shared_task

from tolpa.crowdfunding import services


@shared_task(name="crowdfunding.settle_due")
def settle_due_projects() -> int:
    return sum(
        services.project_settle(project_id=pk) for pk in services.projects_due_for_settlement()
    )
