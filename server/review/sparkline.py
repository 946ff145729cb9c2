"""A small inline SVG trend line of scores (0–100), drawn on the server."""

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD = 96, 28, 3


def _points(values) -> list[tuple[float, float]]:
    """Return the (x, y) of each score, left to right, 100 at the top."""
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)
    return [(PAD + i * step, PAD + (HEIGHT - 2 * PAD) * (1 - v / 100))
            for i, v in enumerate(values)]


def sparkline(values, label: str) -> Markup:
    """Return an SVG sparkline of scores with an accessible name (empty when no scores)."""
    values = [max(0.0, min(100.0, float(v))) for v in values if v is not None]
    if not values:
        return Markup("")
    points = _points(values)
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    last_x, last_y = points[-1]
    return Markup(
        f'<svg class="spark" role="img" aria-label="{escape(label)}" width="{WIDTH}" '
        f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}"><title>{escape(label)}</title>'
        f'<line x1="{PAD}" y1="{HEIGHT / 2}" x2="{WIDTH - PAD}" y2="{HEIGHT / 2}" '
        f'class="mid"/><polyline points="{path}" fill="none"/>'
        f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="2.5"/></svg>')
