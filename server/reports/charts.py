"""SVG charts drawn on the server (no JavaScript): a score trend and horizontal bars."""

from markupsafe import Markup, escape

FONT = "DejaVu Sans"
INK, MUTED, GRID, ACCENT, BAD = "#1b1f24", "#57606a", "#d0d7de", "#0b5cad", "#a40e26"


def _svg(width: int, height: int, body: list[str], title: str) -> Markup:
    """Wrap chart elements in an SVG element with an accessible title."""
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-family="{FONT}">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _text(x, y, content, size=8, anchor="start", fill=INK, weight="normal") -> str:
    """Return one SVG text element in the report font."""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" '
            f'text-anchor="{anchor}" fill="{fill}" font-weight="{weight}">'
            f"{escape(content)}</text>")


def _grid(left, top, width, height) -> list[str]:
    """Return horizontal grid lines and labels for a 0–100 scale."""
    parts = []
    for tick in (0, 25, 50, 75, 100):
        y = top + height * (1 - tick / 100)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + width}" y2="{y:.1f}" '
                     f'stroke="{GRID}" stroke-width="0.6"/>')
        parts.append(_text(left - 5, y + 3, str(tick), 9, "end", MUTED))
    return parts


def trend_chart(points, title: str, width: int = 640, height: int = 200) -> Markup:
    """Draw scores (0–100, None for a visit with nothing assessed) over visits as a line."""
    left, top, right, bottom = 40, 18, 44, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    body = _grid(left, top, plot_w, plot_h)
    step = plot_w / max(len(points) - 1, 1)
    coords = []
    for index, (caption, value) in enumerate(points):
        x = left + (index * step if len(points) > 1 else plot_w / 2)
        body.append(_text(x, height - bottom + 16, caption, 9, "middle", MUTED))
        if value is not None:
            y = top + plot_h * (1 - value / 100)
            coords.append((x, y, value))
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in coords)
        body.append(f'<polyline points="{path}" fill="none" stroke="{ACCENT}" '
                    'stroke-width="1.6"/>')
    for x, y, value in coords:
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.6" fill="{ACCENT}"/>')
        body.append(_text(x, y - 7, f"{value:.0f}", 10, "middle", weight="bold"))
    return _svg(width, height, body, title)


def bar_chart(rows, title: str, width: int = 640, scale: float = 100.0) -> Markup:
    """Draw labelled horizontal bars; rows are (label, value or None, text shown)."""
    bar_h, gap, label_h, left = 10, 6, 13, 2
    plot_w = width - left - 64
    body, y = [], 2
    for caption, value, shown in rows:
        body.append(_text(left, y + 9, caption, 9.5))
        y += label_h
        body.append(f'<rect x="{left}" y="{y}" width="{plot_w}" height="{bar_h}" '
                    f'fill="#f3f4f6"/>')
        if value is not None:
            filled = plot_w * max(0.0, min(value / scale, 1.0))
            colour = BAD if scale == 100.0 and value < 50 else ACCENT
            body.append(f'<rect x="{left}" y="{y}" width="{filled:.1f}" height="{bar_h}" '
                        f'fill="{colour}"/>')
        body.append(_text(left + plot_w + 6, y + 9, shown, 9.5))
        y += bar_h + gap
    return _svg(width, max(y, 10), body, title)
