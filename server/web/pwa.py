"""Serve the offline tablet app (pwa/): the page at /, its service worker and its modules.

The service worker and the manifest live at the site root so the worker's scope covers the
whole app; every other file is under /app/. The worker's cache names carry a build id, the
hash of every shell file, so any change to the app makes a new worker that takes over on the
next start (see docs/pwa.md).
"""

import hashlib
import json
import mimetypes
from functools import cache
from pathlib import Path

from flask import Blueprint, abort, current_app, make_response, request
from werkzeug.security import safe_join

bp = Blueprint("pwa", __name__)

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "pwa"
SHELL_DIRS = ("js", "css", "i18n", "icons")
SHELL_SUFFIXES = (".js", ".css", ".json", ".png", ".svg", ".html", ".webmanifest")
NO_CACHE = "no-cache"


def pwa_dir() -> Path:
    """Return the folder holding the app's files."""
    return Path(current_app.config.get("PWA_DIR") or DEFAULT_DIR)


def shell_files(root: Path) -> list[str]:
    """List the app-shell files, relative to the app folder, in a stable order."""
    files = ["index.html", "manifest.webmanifest"]
    for folder in SHELL_DIRS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.suffix in SHELL_SUFFIXES:
                files.append(path.relative_to(root).as_posix())
    return files


@cache
def _digest(root: str, stamp: tuple) -> str:
    """Hash the shell files (cached per set of modification times)."""
    sha = hashlib.sha256()
    for name in shell_files(Path(root)):
        sha.update(name.encode())
        sha.update((Path(root) / name).read_bytes())
    return sha.hexdigest()[:12]


def build_id() -> str:
    """Return the app's build id: PWA_BUILD from the config, or the hash of the shell."""
    if current_app.config.get("PWA_BUILD"):
        return str(current_app.config["PWA_BUILD"])
    root = pwa_dir()
    stamp = tuple((name, (root / name).stat().st_mtime_ns) for name in shell_files(root))
    return _digest(str(root), stamp)


def _shell_urls() -> list[str]:
    """Return the URLs the service worker precaches."""
    urls = ["/", "/manifest.webmanifest"]
    return urls + ["/app/" + name for name in shell_files(pwa_dir()) if "/" in name]


def _file(name: str, mimetype: str | None = None):
    """Answer with one file of the app, revalidated on every use (the worker caches)."""
    path = safe_join(str(pwa_dir()), name)
    if path is None or not Path(path).is_file():
        abort(404)
    data = Path(path).read_bytes()
    response = make_response(data)
    response.mimetype = mimetype or mimetypes.guess_type(name)[0] or "application/octet-stream"
    if response.mimetype in ("text/javascript", "application/javascript"):
        response.headers["Content-Type"] = "text/javascript; charset=utf-8"
    response.set_etag(hashlib.sha256(data).hexdigest()[:32])
    response.headers["Cache-Control"] = NO_CACHE
    return response.make_conditional(request)


def app_page():
    """Return the app's page (the web blueprint's index view serves it at /)."""
    return _file("index.html", "text/html")


@bp.route("/sw.js")
def service_worker():
    """Serve the service worker with its build id and shell list filled in."""
    source = (pwa_dir() / "sw.js").read_text(encoding="utf-8")
    source = source.replace("__BUILD__", build_id()).replace(
        '["__SHELL__"]', json.dumps(_shell_urls()))
    response = make_response(source)
    response.headers["Content-Type"] = "text/javascript; charset=utf-8"
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache, no-store, max-age=0"
    return response


@bp.route("/manifest.webmanifest")
def manifest():
    """Serve the web app manifest."""
    return _file("manifest.webmanifest", "application/manifest+json")


@bp.route("/app/<path:filename>")
def asset(filename):
    """Serve one shell file (modules, styles, catalogues, icons); nothing else of pwa/."""
    if filename.split("/", 1)[0] not in SHELL_DIRS or not filename.endswith(SHELL_SUFFIXES):
        abort(404)
    return _file(filename)
