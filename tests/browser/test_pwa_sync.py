"""The sync engine against the real server: two tablets, a lost response, a cut upload, a 401."""

import io
import json
import random

from PIL import Image
from playwright.sync_api import expect
from pwa_helpers import (
    add_photo,
    answer,
    backlog,
    go_domain,
    open_app,
    question,
    reload,
    set_pin,
    sign_in,
    start_visit,
    sync_now,
    wait_synced,
    wait_until,
)

from server.demo import demo_id
from server.extensions import db
from server.models import AuthToken, utcnow

SIZO = str(demo_id("facility:almaty-sizo"))


def _tablet(context_factory, live, username):
    page = context_factory().new_page()
    sign_in(page, live.url, username)
    return page


def _visit(client, login, visit_id, username="inspector.almaty"):
    response = client.get(f"/api/v1/visits/{visit_id}", headers=login(username))
    assert response.status_code == 200, response.json
    return response.json


def _answers(visit):
    return {(a["question_id"], a["regime"]): a["value"] for a in visit["answers"]}


def test_two_tablets_merge_and_show_the_clash(live, context_factory, client, login):
    a = _tablet(context_factory, live, "inspector.almaty")
    visit_id = start_visit(a, SIZO)
    wait_synced(a)
    b = _tablet(context_factory, live, "inspector2.almaty")
    wait_until(b, f"import('/app/js/db.js').then(m => m.get('visits', '{visit_id}'))")
    for page in (a, b):
        page.context.set_offline(True)
        go_domain(page, visit_id, "nutrition")
    answer(a, "nutrition.drinking_water_always", True)
    answer(a, "nutrition.meals_per_day", 3)
    answer(b, "nutrition.food_adequate_quality", False)
    answer(b, "nutrition.meals_per_day", 2)
    for page in (a, b):
        page.context.set_offline(False)
        wait_synced(page)
    sync_now(a)  # a pulls what b sent after a's own sync

    answers = _answers(_visit(client, login, visit_id))
    assert answers[("nutrition.drinking_water_always", "")] is True
    assert answers[("nutrition.food_adequate_quality", "")] is False
    assert answers[("nutrition.meals_per_day", "")] == 2
    [conflict] = _visit(client, login, visit_id)["conflicts"]
    assert conflict["loser"]["value"] == 3 and conflict["winner"]["value"] == 2
    for page in (a, b):
        go_domain(page, visit_id, "heating")
        go_domain(page, visit_id, "nutrition")
        meals = question(page, "nutrition.meals_per_day")
        expect(meals.locator("input")).to_have_value("2")
        expect(meals.locator(".conflict")).to_contain_text("3")
    expect(question(a, "nutrition.meals_per_day").locator(".conflict")).to_contain_text(
        ["вы", "you", "сіз"][["ru", "en", "kk"].index(a.evaluate("document.documentElement.lang"))])
    # b is told whose value it overwrote, by name (pull names the authors)
    expect(question(b, "nutrition.meals_per_day").locator(".conflict")).to_contain_text(
        "Нурлан Абенов")


def test_lost_push_response_is_retried_without_duplicates(live, context_factory, client, login):
    page = _tablet(context_factory, live, "inspector.almaty")
    page.context.set_offline(True)
    visit_id = start_visit(page, SIZO)
    go_domain(page, visit_id, "nutrition")
    answer(page, "nutrition.meals_per_day", 3)
    answer(page, "nutrition.drinking_water_always", False)
    outcomes = []

    def drop_first_response(route):
        response = route.fetch()  # the server applies and commits the batch
        outcomes.append([r["status"] for r in response.json()["results"]])
        if len(outcomes) == 1:
            route.abort("connectionreset")  # ... and the tablet never hears back
        else:
            route.fulfill(response=response)

    page.route("**/api/v1/sync/push", drop_first_response)
    page.context.set_offline(False)
    wait_synced(page, timeout=60)
    assert outcomes[0] == ["applied"] * 3
    assert outcomes[1] == ["duplicate"] * 3
    visit = _visit(client, login, visit_id)
    assert _answers(visit) == {("nutrition.meals_per_day", ""): 3,
                               ("nutrition.drinking_water_always", ""): False}
    assert backlog(page)["rejected"] == 0


def _noisy_photo():
    image = Image.frombytes("RGB", (1600, 1200), random.Random(5).randbytes(1600 * 1200 * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


def test_photo_upload_cut_half_way_then_resumed(live, context_factory, client, login):
    page = _tablet(context_factory, live, "inspector.almaty")
    visit_id = start_visit(page, SIZO)
    go_domain(page, visit_id, "nutrition")
    page.context.set_offline(True)
    add_photo(page, _noisy_photo())
    sent = []  # (start, bytes) of every chunk that reached the server

    def cut_once(route):
        request = route.request
        start, rest = request.headers["content-range"].split(" ")[1].split("-")
        start, total = int(start), int(rest.split("/")[1])
        body = request.post_data_buffer
        if start >= total // 2 and not any(cut for _, _, cut in sent):
            half = body[: len(body) // 2]  # half a chunk arrives, then the link dies
            headers = {**request.headers,
                       "content-range": f"bytes {start}-{start + len(half) - 1}/{total}"}
            route.fetch(headers=headers, post_data=half)
            sent.append((start, len(half), True))
            route.abort("connectionreset")
            return
        sent.append((start, len(body), False))
        route.continue_()

    page.route("**/api/v1/blobs/*", lambda route: cut_once(route)
               if route.request.method == "PUT" else route.continue_())
    page.context.set_offline(False)
    wait_synced(page, timeout=90)
    total = page.evaluate("import('/app/js/db.js').then(m => m.all('blobs')).then(b => b[0].size)")
    assert total > 600_000  # several chunks
    assert any(cut for _, _, cut in sent)
    assert sum(length for _, length, _ in sent) == total  # nothing sent twice
    starts = [start for start, _, _ in sent]
    assert starts == sorted(starts)
    [photo] = _visit(client, login, visit_id)["photos"]
    blob = client.get(f"/api/v1/blobs/{photo['sha256']}", headers=login("inspector.almaty"))
    assert blob.status_code == 200


def test_token_expired_while_offline_keeps_the_outbox(live, context_factory, client, login):
    page = _tablet(context_factory, live, "inspector.almaty")
    page.context.set_offline(True)
    visit_id = start_visit(page, SIZO)
    go_domain(page, visit_id, "nutrition")
    answer(page, "nutrition.meals_per_day", 1)
    answer(page, "nutrition.drinking_water_always", False)
    waiting = backlog(page)["pending"]
    db.session.execute(db.update(AuthToken).values(expires_at=utcnow()))
    db.session.commit()

    page.context.set_offline(False)
    expect(page.locator("#banner [role=alert]")).to_be_visible(timeout=20000)
    assert backlog(page)["pending"] == waiting
    page.reload()
    page.wait_for_selector("body[data-ready=yes]")
    assert backlog(page)["pending"] == waiting  # a reload does not lose it either
    page.evaluate("location.hash = '#/login'")
    expect(page.locator("input[name=username]")).to_have_value("inspector.almaty")
    page.fill("input[name=password]", "tekseru-demo")
    page.click("form button[type=submit]")
    wait_synced(page, timeout=30)
    assert _answers(_visit(client, login, visit_id)) == {
        ("nutrition.meals_per_day", ""): 1, ("nutrition.drinking_water_always", ""): False}


def test_exported_file_imports_once_and_the_later_sync_duplicates_nothing(
        live, context_factory, runner, client, login):
    page = _tablet(context_factory, live, "inspector.almaty")
    page.context.set_offline(True)
    visit_id = start_visit(page, SIZO)
    go_domain(page, visit_id, "nutrition")
    answer(page, "nutrition.meals_per_day", 2)
    add_photo(page, _small_photo())
    open_app(page, live.url)
    page.evaluate("location.hash = '#/status'")
    with page.expect_download() as download:
        page.click("main section:last-of-type button")
    path = download.value.path()
    data = json.loads(path.read_text())
    assert data["format"] == "tekseru-export" and data["schema_version"] == 2
    assert [op["type"] for op in data["ops"]] == ["visit.upsert", "answer.set", "photo.attach"]
    [blob] = data["blobs"]
    assert blob["sha256"] == data["ops"][2]["value"]["sha256"]

    result = runner.invoke(args=["sync", "import", str(path)])  # the chair, on the server
    db.session.rollback()
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["ops"] == {"applied": 3}
    assert json.loads(result.output)["blobs"] == {"stored": 1}
    page.context.set_offline(False)  # the tablet finds a link later and sends the same ops
    wait_synced(page)
    visit = _visit(client, login, visit_id)
    assert _answers(visit) == {("nutrition.meals_per_day", ""): 2}
    assert len(visit["photos"]) == 1 and backlog(page)["rejected"] == 0


def _small_photo():
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (10, 90, 40)).save(out, "JPEG")
    return out.getvalue()


def test_refused_op_is_set_aside_and_blocks_nothing(live, context_factory, client, login):
    page = _tablet(context_factory, live, "inspector.almaty")
    page.context.set_offline(True)
    visit_id = start_visit(page, SIZO)
    go_domain(page, visit_id, "nutrition")
    answer(page, "nutrition.meals_per_day", 3)
    page.evaluate(f"""import('/app/js/outbox.js').then((m) => m.recordAnswer(
        '{visit_id}', 'nutrition.no_such_question', '', 5))""")  # e.g. from an old checklist
    answer(page, "nutrition.drinking_water_always", True)
    page.context.set_offline(False)
    state = wait_synced(page)
    assert state["rejected"] == 1
    assert _answers(_visit(client, login, visit_id)) == {
        ("nutrition.meals_per_day", ""): 3, ("nutrition.drinking_water_always", ""): True}
    page.evaluate("location.hash = '#/status'")
    expect(page.locator(".rejected li")).to_contain_text("nutrition.no_such_question")
    expect(page.locator(".rejected li strong")).not_to_have_text("")


def test_another_account_on_the_tablet_sees_none_of_the_previous_visits(live, context_factory):
    page = _tablet(context_factory, live, "inspector.almaty")
    start_visit(page, SIZO)
    wait_synced(page)
    page.click("header button.link")  # sign out
    page.wait_for_selector("main[data-view=loginView]")
    page.fill("input[name=username]", "inspector.karaganda")
    page.fill("input[name=password]", "tekseru-demo")
    page.click("form button[type=submit]")
    set_pin(page, "739164")  # another account: a new data key, and a PIN of its own
    page.wait_for_selector("main[data-view=facilitiesView] .facility")
    karaganda = str(demo_id("facility:karaganda-sizo"))
    expect(page.locator(f".facility[data-facility='{karaganda}']")).to_have_count(1)
    expect(page.locator(f".facility[data-facility='{SIZO}']")).to_have_count(0)
    wait_synced(page)
    assert page.evaluate("import('/app/js/db.js').then((m) => m.count('visits'))") == 0


def test_photo_question_and_handing_the_visit_in(live, context_factory, client, login):
    page = _tablet(context_factory, live, "inspector.almaty")
    visit_id = start_visit(page, SIZO)
    page.context.set_offline(True)
    go_domain(page, visit_id, "hot_water")
    block = page.locator(".photo-question[data-question='sanitation.toilet_photo']")
    block.locator("input[type=file]").set_input_files(
        {"name": "wc.jpg", "mimeType": "image/jpeg", "buffer": _small_photo()})
    expect(block.locator(".photo img")).to_have_count(1)
    go_domain(page, visit_id, "work")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click(".pager button.primary")  # the last domain hands the visit in
    expect(page.locator(".question input").first).to_be_disabled()  # locked on the tablet too
    page.context.set_offline(False)
    wait_synced(page)
    visit = _visit(client, login, visit_id)
    assert visit["status"] == "submitted"
    [photo] = visit["photos"]
    assert photo["question_id"] == "sanitation.toilet_photo" and photo["uploaded"] is True


def test_team_and_photo_caption_picked_offline_reach_the_server(live, context_factory, client,
                                                                login):
    page = _tablet(context_factory, live, "inspector.almaty")
    page.context.set_offline(True)
    reload(page)  # the members come from the tablet's copy, not from the network
    page.click(f"a[href='#/start/{SIZO}']")
    team = page.locator("main[data-view=startView] fieldset.team")
    me, colleague = team.get_by_label("Нурлан Абенов"), team.get_by_label("Елена Ким")
    expect(me).to_be_checked()
    expect(colleague).not_to_be_checked()
    expect(team.get_by_label("Айгерим Сейтова")).not_to_be_checked()  # the chair, a member
    expect(team.locator("input[type=checkbox]")).to_have_count(3)  # no other commission
    heights = team.locator(".check label").evaluate_all(
        "(labels) => labels.map((l) => l.getBoundingClientRect().height)")
    assert min(heights) >= 44  # touch targets
    colleague.check()
    page.click("main[data-view=startView] form button[type=submit]")
    page.wait_for_selector("main[data-view=checklistView] .question")
    visit_id = page.evaluate("location.hash.split('/')[2]")
    go_domain(page, visit_id, "nutrition")
    caption = page.locator(".photos-block").get_by_label(
        ["Подпись", "Caption", "Фотоға түсініктеме"][
            ["ru", "en", "kk"].index(page.evaluate("document.documentElement.lang"))])
    caption.fill("Камера 12: сырость на стене")
    add_photo(page, _small_photo())
    expect(page.locator(".photos-block .photo .caption")).to_have_text(
        "Камера 12: сырость на стене")
    expect(caption).to_have_value("")  # the next photo starts without it
    page.context.set_offline(False)
    wait_synced(page)

    visit = _visit(client, login, visit_id)
    assert sorted(visit["team"]) == sorted(_user_id(client, login, name)
                                           for name in ("inspector.almaty", "inspector2.almaty"))
    [photo] = visit["photos"]
    assert photo["caption"] == "Камера 12: сырость на стене" and photo["uploaded"] is True
    assert photo["domain"] == "nutrition"


def _user_id(client, login, username):
    return client.get("/api/v1/me", headers=login(username)).json["id"]
