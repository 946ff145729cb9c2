"""Draw the app's icons (192/512, plain and maskable) into pwa/icons/ with Pillow."""

from pathlib import Path

from PIL import Image, ImageDraw

BRAND = (11, 79, 108)
WHITE = (255, 255, 255)
OUT = Path(__file__).resolve().parents[1] / "pwa" / "icons"


def draw_icon(size: int, maskable: bool) -> Image.Image:
    """Draw a checked box: full bleed when maskable, a rounded tile otherwise."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle((0, 0, size, size), fill=BRAND)
        inner = size * 0.8  # keep the mark inside the 80 % safe zone
    else:
        draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 6, fill=BRAND)
        inner = size
    pad = (size - inner) / 2
    unit = inner / 10
    box = (pad + unit * 2, pad + unit * 2, pad + unit * 8, pad + unit * 8)
    stroke = max(2, int(unit * 0.5))
    draw.rounded_rectangle(box, radius=int(unit * 0.6), outline=WHITE, width=stroke)
    tick = [(pad + unit * 3.2, pad + unit * 5.2), (pad + unit * 4.5, pad + unit * 6.5),
            (pad + unit * 6.9, pad + unit * 3.6)]
    draw.line(tick, fill=WHITE, width=max(3, int(unit * 0.8)), joint="curve")
    return image


def main() -> None:
    """Write the four icon files."""
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw_icon(size, False).save(OUT / f"icon-{size}.png", optimize=True)
        draw_icon(size, True).save(OUT / f"maskable-{size}.png", optimize=True)
    print(f"icons written to {OUT}")


if __name__ == "__main__":
    main()
