"""The Flask side of the offline app: the page at /, the worker and manifest at the root, /app/."""

import gzip
import json

from server.web.pwa import DEFAULT_DIR, pwa_dir, shell_files

SHELL_BUDGET = 150 * 1024  # bytes of app shell, gzip-compressed (issue 5)


def test_root_serves_the_app_page(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert '<script type="module" src="/app/js/app.js"></script>' in page
    assert response.headers["Cache-Control"] == "no-cache"


def test_service_worker_is_served_at_the_root_with_its_build_and_shell(client, app):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert "no-store" in response.headers["Cache-Control"]
    assert response.mimetype == "text/javascript"
    source = response.get_data(as_text=True)
    assert "__BUILD__" not in source and "__SHELL__" not in source
    shell = json.loads(source.split("const SHELL = ", 1)[1].split(";", 1)[0])
    assert "/" in shell and "/app/js/app.js" in shell and "/app/i18n/kk.json" in shell
    assert all(client.get(url).status_code == 200 for url in shell)
    app.config["PWA_BUILD"] = "release-2"
    assert "tekseru-shell-${BUILD}" in source
    assert "const BUILD = 'release-2'" in client.get("/sw.js").get_data(as_text=True)


def test_build_id_follows_the_shell_files(app, tmp_path):
    for name in shell_files(pwa_dir()):
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((pwa_dir() / name).read_bytes())
    (tmp_path / "sw.js").write_text("const BUILD = '__BUILD__';")
    app.config["PWA_DIR"] = str(tmp_path)
    client = app.test_client()
    before = client.get("/sw.js").get_data(as_text=True)
    (tmp_path / "js" / "app.js").write_text("// changed\n", encoding="utf-8")
    after = client.get("/sw.js").get_data(as_text=True)
    assert before != after


def test_manifest_makes_the_app_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.data)
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert manifest["theme_color"] and manifest["name"]
    icons = {(i["sizes"], i["purpose"]) for i in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"),
            ("512x512", "maskable")} <= icons
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).mimetype == "image/png"


def test_only_shell_files_are_served_under_app(client):
    assert client.get("/app/js/db.js").mimetype == "text/javascript"
    for path in ("/app/tests/expr.test.mjs", "/app/package.json", "/app/../pyproject.toml",
                 "/app/js/../../server/config.py", "/app/node_modules/fake-indexeddb/package.json"):
        assert client.get(path).status_code == 404, path


def test_chair_pages_still_work_beside_the_app(client):
    assert client.get("/login").status_code == 200
    assert client.get("/facilities/").status_code == 302


def test_app_shell_fits_the_budget():
    total = sum(len(gzip.compress((DEFAULT_DIR / name).read_bytes(), 6))
                for name in shell_files(DEFAULT_DIR))
    assert total <= SHELL_BUDGET, total
