"""What every microtask page shares: loading a project the actor may see and the brand check."""

from tolpa.errors import PermissionDeniedError
from tolpa.microtasks import selectors, services
from tolpa.microtasks.models import Project


def project_for(request, slug: str) -> Project:
    return selectors.project_access(actor=request.user, slug=slug)


def require_manager(request, project: Project) -> None:
    if not services.is_manager(request.user, project):
        raise PermissionDeniedError()
