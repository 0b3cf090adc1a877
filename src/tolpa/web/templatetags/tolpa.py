from django import template
from django.utils.safestring import mark_safe

from tolpa.web.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> str:
    """Render user Markdown; the output is sanitized by nh3, so it is safe to mark."""
    return mark_safe(render_markdown(text))  # noqa: S308


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (for pagination and sorting)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()
