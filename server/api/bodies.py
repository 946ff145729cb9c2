"""Request bodies sent gzip-encoded (Content-Encoding: gzip), decoded with a size cap."""

import zlib

from flask import current_app, request

from ..errors import APIError

DEFAULT_MAX_BODY = 8 * 1024 * 1024  # decoded JSON body; TEKSERU config SYNC_MAX_BODY_BYTES
BODY_METHODS = ("POST", "PUT", "PATCH")


def max_body_bytes() -> int:
    """Return the largest decoded JSON body accepted."""
    return int(current_app.config.get("SYNC_MAX_BODY_BYTES", DEFAULT_MAX_BODY))


def too_large(cap: int) -> APIError:
    """Return the 413 naming the cap."""
    return APIError(413, "payload_too_large", f"The body is over the cap of {cap} bytes.",
                    {"max_bytes": [str(cap)]})


def gunzip(data: bytes, cap: int) -> bytes:
    """Decompress a gzip body; 400 when it is not gzip or is cut short, 413 above the cap."""
    decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        body = decoder.decompress(data, cap + 1)
    except zlib.error as exc:
        raise APIError(400, "malformed_gzip", "The body is not valid gzip.") from exc
    if len(body) > cap:
        raise too_large(cap)
    if not decoder.eof:
        raise APIError(400, "malformed_gzip", "The gzip body is cut short.")
    return body


def decode_gzip_body() -> None:
    """Replace a gzip-encoded JSON body by its decoded bytes before anything reads it."""
    if not request.path.startswith("/api/") or request.method not in BODY_METHODS:
        return
    encoding = request.headers.get("Content-Encoding", "").strip().lower()
    if encoding in ("", "identity"):
        return
    if encoding != "gzip" or not request.is_json:
        raise APIError(415, "unsupported_content_encoding",
                       "Only JSON bodies may be encoded, and only with gzip.")
    body = gunzip(request.get_data(cache=False), max_body_bytes())
    request._cached_data = body  # werkzeug's cache of the body: every reader gets the decoded
