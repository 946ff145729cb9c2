"""Safe rendering: nothing outside our static files and the visit's photos is ever fetched."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from conftest import INJECTION, pdf_text

from server.reports.fetcher import RefusedURL, SafeFetcher, base_url, photo_url
from server.reports.render import STATIC_DIR, render_pdf


@pytest.fixture
def http_server():
    """Run a local HTTP server that counts the requests it gets."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server name
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()


def test_fetcher_serves_static_files_and_allowed_photos_only():
    fetcher = SafeFetcher(photos={"ab" * 32: lambda: b"jpeg"})
    css = fetcher.fetch(base_url() + "report.css")
    assert css.read().startswith(b"/* Tekseru PDF reports")
    css.close()
    assert fetcher.fetch(photo_url("ab" * 32)).read() == b"jpeg"
    for url in ("file:///etc/passwd", "http://127.0.0.1:9/x.png", "https://example.org/x.css",
                (STATIC_DIR / ".." / ".." / ".." / "pyproject.toml").as_uri(),
                base_url() + "../../../../etc/passwd", photo_url("cd" * 32),
                "data:image/png;base64,AAAA", "ftp://example.org/x"):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 8


def test_hostile_markup_fetches_nothing(http_server):
    url, hits = http_server
    html = (f'<html lang="en"><head><title>t</title><link rel="stylesheet" href="{url}/x.css">'
            '<link rel="stylesheet" href="file:///etc/passwd"></head><body>'
            f'<img src="{url}/a.png"><img src="file:///etc/passwd">'
            f'<div style="background: url({url}/b.png)">text</div></body></html>')
    fetcher = SafeFetcher()
    pdf = render_pdf(html, base_url=base_url(), fetcher=fetcher,
                     metadata={"title": "t", "lang": "en"})
    assert hits == []
    assert any(u.startswith(url) for u in fetcher.refused)
    assert "file:///etc/passwd" in fetcher.refused
    assert "root:" not in pdf_text(pdf)


def test_a_note_with_markup_is_printed_as_text(client, login, demo, http_server):
    from report_factory import make_visit, when

    from server.extensions import db

    url, hits = http_server
    note = INJECTION.replace("http://127.0.0.1:9", url)
    visit = make_visit(demo.facility("almaty-sizo"), demo.user("inspector.almaty"),
                       when(2026, 5), notes=[("nutrition", note), (None, note)])
    db.session.commit()
    response = client.get(f"/reports/visits/{visit.id}.pdf?lang=en&notes=include",
                          headers=login("ombudsman"))
    assert response.status_code == 200
    text = " ".join(pdf_text(response.data).split())
    assert f'<img src="{url}/steal.png">' in text
    assert "file:///etc/passwd" in text and "root:" not in text
    assert hits == []
