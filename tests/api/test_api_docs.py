"""The browsable API docs work without internet: Swagger UI comes from this server."""

import re


def test_docs_page_loads_swagger_ui_from_this_server(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources, html
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))], sources
    for source in sources:
        with client.get(source) as asset:
            assert asset.status_code == 200, source
            assert len(asset.data) > 1000, source
    assert any(s.endswith("swagger-ui-bundle.js") for s in sources)


def test_only_swagger_ui_files_are_served(client):
    with client.get("/api-docs-assets/swagger-ui.css") as css:
        assert css.status_code == 200 and css.mimetype == "text/css"
    assert client.get("/api-docs-assets/../../__init__.py").status_code == 404
    assert client.get("/api-docs-assets/__init__.py").status_code == 404
    assert client.get("/api-docs-assets/nothing.js").status_code == 404
