"""Small server-rendered SVG charts (no JavaScript, no CDN): a line and a bar chart."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD = 600, 160, 24


def _scale(values: list[int]) -> tuple[int, float]:
    top = max([*values, 1])
    return top, (HEIGHT - 2 * PAD) / top


def line_chart(points: list[tuple[str, int]], *, label: str) -> SafeString:
    """`points` are (x label, value); the SVG has a title for screen readers."""
    if not points:
        return mark_safe("")
    values = [v for _x, v in points]
    top, scale = _scale(values)
    step = (WIDTH - 2 * PAD) / max(len(points) - 1, 1)
    coords = " ".join(
        f"{PAD + i * step:.1f},{HEIGHT - PAD - v * scale:.1f}" for i, v in enumerate(values)
    )
    first, last = escape(points[0][0]), escape(points[-1][0])
    svg = (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>"
        f'<polyline fill="none" stroke="currentColor" stroke-width="2" points="{coords}"/>'
        f'<text x="{PAD}" y="{HEIGHT - 4}" font-size="11">{first}</text>'
        f'<text x="{WIDTH - PAD}" y="{HEIGHT - 4}" font-size="11" text-anchor="end">{last}</text>'
        f'<text x="{PAD}" y="{PAD - 8}" font-size="11">{top:,}</text></svg>'
    )
    return mark_safe(svg)  # noqa: S308  (every interpolated text is escaped)


def bar_chart(points: list[tuple[str, int]], *, label: str) -> SafeString:
    if not points:
        return mark_safe("")
    values = [v for _x, v in points]
    top, scale = _scale(values)
    width = (WIDTH - 2 * PAD) / len(points)
    bars = "".join(
        f'<rect x="{PAD + i * width + 1:.1f}" y="{HEIGHT - PAD - v * scale:.1f}" width="{max(width - 2, 1):.1f}" '
        f'height="{v * scale:.1f}"><title>{escape(x)}: {v}</title></rect>'
        for i, (x, v) in enumerate(points)
    )
    svg = (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}">'
        f'<title>{escape(label)}</title><g fill="currentColor">{bars}</g>'
        f'<text x="{PAD}" y="{PAD - 8}" font-size="11">{top:,}</text></svg>'
    )
    return mark_safe(svg)  # noqa: S308
