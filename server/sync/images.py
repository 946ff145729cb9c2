"""Photos as the server keeps them: JPEG, PNG or WebP, with EXIF and GPS metadata removed."""

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_PIXELS = 60_000_000  # larger pictures are refused (decompression bombs)
ORIENTATION = 0x0112


class UnsupportedImage(ValueError):
    """Not a JPEG, PNG or WebP picture we can read."""


@dataclass(frozen=True)
class CleanImage:
    """The stored copy of a photo."""

    data: bytes
    content_type: str
    width: int
    height: int


def _open(data: bytes) -> Image.Image:
    """Open and decode a picture, refusing other formats and oversized ones."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise UnsupportedImage(f"format {image.format} is not accepted")
            if image.width * image.height > MAX_PIXELS:
                raise UnsupportedImage("the picture has too many pixels")
            image.load()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
                Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            if isinstance(exc, UnsupportedImage):
                raise
            raise UnsupportedImage("not a readable JPEG, PNG or WebP picture") from exc
    return image


def _save(image: Image.Image, fmt: str) -> tuple[bytes, Image.Image]:
    """Encode a picture without any metadata but its colour profile; return it upright."""
    out = io.BytesIO()
    options = {"icc_profile": image.info.get("icc_profile")}
    turned = image.getexif().get(ORIENTATION, 1) not in (None, 1)
    if turned:
        image = ImageOps.exif_transpose(image)
    if fmt == "JPEG":
        options["quality"] = 90 if turned else "keep"
    elif fmt == "WEBP":
        options.update(lossless=bool(image.info.get("lossless")), quality=90)
    image.save(out, fmt, **{k: v for k, v in options.items() if v is not None})
    return out.getvalue(), image


def clean_image(data: bytes) -> CleanImage:
    """Return the stored copy of a photo: same pixels (upright), no EXIF, no GPS."""
    image = _open(data)
    fmt = image.format
    stored, upright = _save(image, fmt)
    return CleanImage(stored, FORMATS[fmt], upright.width, upright.height)
