"""Encryption at rest and the lock screen, in real Chromium (docs/security.md, "On the tablet")."""

import base64
import hashlib
import io
import json
from pathlib import Path

from PIL import Image, ImageChops, ImageStat
from playwright.sync_api import Error, expect
from pwa_helpers import (
    PIN,
    add_photo,
    answer,
    backlog,
    go_domain,
    photo_bytes,
    question,
    set_pin,
    sign_in,
    start_visit,
    sync_now,
    unlock,
    wait_synced,
)

from server.demo import demo_id

SIZO = str(demo_id("facility:almaty-sizo"))
NOTE = "Осуждённый Qx7-Ivanov сообщил об избиении в камере 14"
SUMMARY = "Zk9 двое сообщили об ударах дубинкой при этапировании"
SAFEGUARDS_SHOWN = (
    "main[data-view=checklistView] .domains a[data-domain=safeguards][aria-current=page]")
CATALOGUES = Path(__file__).resolve().parents[2] / "pwa" / "i18n"

# Every record of every store, read straight from IndexedDB (not through the app's modules):
# strings as they are, Blobs, ArrayBuffers and typed arrays as base64 of their bytes.
DUMP = """async () => {
  const conn = await new Promise((resolve, reject) => {
    const request = indexedDB.open('tekseru');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const names = [...conn.objectStoreNames];
  const rows = [];
  for (const name of names) {
    const got = await new Promise((resolve, reject) => {
      const request = conn.transaction(name).objectStore(name).getAll();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    rows.push(...got);
  }
  conn.close();
  const b64 = (bytes) => {
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    }
    return btoa(text);
  };
  const texts = [];
  const blobs = [];
  const walk = async (value) => {
    if (value instanceof Blob) blobs.push(b64(new Uint8Array(await value.arrayBuffer())));
    else if (value instanceof ArrayBuffer) blobs.push(b64(new Uint8Array(value)));
    else if (ArrayBuffer.isView(value)) {
      blobs.push(b64(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)));
    } else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) { texts.push(key); await walk(item); }
    } else texts.push(String(value));
  };
  for (const row of rows) await walk(row);
  return { stores: names, records: rows.length, texts, blobs };
}"""

PLAIN_PHOTO = """import('/app/js/db.js').then(async (m) => {
  const [record] = await m.all('blobs');
  const bytes = new Uint8Array(await record.blob.arrayBuffer());
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
})"""


def _dump(page):
    """Return (all strings joined, all bytes joined, the store names) of the tablet's store."""
    dump = page.evaluate(DUMP)
    texts = "\n".join(dump["texts"])
    data = b"".join(base64.b64decode(b) for b in dump["blobs"]) + texts.encode("utf-8")
    return texts, data, dump


def _meta(page, key):
    return page.evaluate(f"import('/app/js/db.js').then((m) => m.getMeta('{key}'))")


def _catalogue(page):
    lang = page.evaluate("document.documentElement.lang")
    return json.loads((CATALOGUES / f"{lang}.json").read_text(encoding="utf-8"))


def _reload_locked(page):
    page.reload()
    page.wait_for_selector("body[data-ready=yes]")
    page.wait_for_selector("main[data-view=lockView] input[name=pin]")


def _try_pin(page, pin):
    page.fill("input[name=pin]", pin)
    page.click("form[data-form=pin] button[type=submit]")


def test_visit_content_is_sealed_at_rest_and_syncs_intact_after_an_offline_unlock(
        live, context_factory, client, login):
    page = context_factory().new_page()
    sign_in(page, live.url)
    page.context.set_offline(True)
    visit_id = start_visit(page, SIZO)
    go_domain(page, visit_id, "safeguards")
    answer(page, "safeguards.private_interviews_allowed", True)
    answer(page, "safeguards.ill_treatment_allegations", 2)
    answer(page, "safeguards.allegations_summary", SUMMARY)
    page.fill(".notes-block textarea", NOTE)
    page.click(".notes-block button")
    expect(page.locator(".notes li")).to_contain_text([NOTE])
    add_photo(page, photo_bytes())
    photo = base64.b64decode(page.evaluate(PLAIN_PHOTO))
    assert len(photo) > 4096

    texts, data, dump = _dump(page)
    assert {"meta", "visits", "answers", "notes", "photos", "blobs", "outbox", "rejected",
            "conflicts"} <= set(dump["stores"])
    assert dump["records"] >= 10 and visit_id in texts  # lists stay plain, the rest is there
    for secret in (NOTE, SUMMARY, "Qx7-Ivanov", "Zk9 двое"):  # whole, and fragments
        assert secret not in texts and secret.encode("utf-8") not in data, secret
    assert photo not in data
    for start in range(0, len(photo) - 64, len(photo) // 16):  # not even a fragment
        assert photo[start:start + 64] not in data, start

    _reload_locked(page)  # offline: the lock screen, and nothing of the visit on it
    assert "Qx7-Ivanov" not in page.content() and "Zk9 двое" not in page.content()
    expect(page.locator("main .question")).to_have_count(0)
    unlock(page)  # the PIN alone, no network
    page.wait_for_selector(SAFEGUARDS_SHOWN)
    expect(page.locator(".notes li")).to_contain_text([NOTE])

    page.context.set_offline(False)
    wait_synced(page, timeout=60)
    headers = login("inspector.almaty")
    visit = client.get(f"/api/v1/visits/{visit_id}", headers=headers).json
    assert [n["text"] for n in visit["notes"]] == [NOTE]
    answers = {a["question_id"]: a["value"] for a in visit["answers"]}
    assert answers["safeguards.allegations_summary"] == SUMMARY
    assert answers["safeguards.ill_treatment_allegations"] == 2
    [linked] = visit["photos"]  # the server checked the uploaded bytes against this hash
    assert linked["sha256"] == hashlib.sha256(photo).hexdigest()
    stored = client.get(f"/api/v1/blobs/{linked['sha256']}", headers=headers)
    assert stored.status_code == 200
    sent, kept = Image.open(io.BytesIO(photo)), Image.open(io.BytesIO(stored.data))
    assert kept.size == sent.size  # kept without metadata (server/sync/images.py), same picture
    difference = ImageChops.difference(sent.convert("RGB"), kept.convert("RGB"))
    assert max(ImageStat.Stat(difference).mean) < 5  # JPEG re-encoding noise only


def test_wrong_pin_is_refused_counted_across_reloads_and_never_erases(live, context_factory):
    page = context_factory().new_page()
    sign_in(page, live.url)
    visit_id = start_visit(page, SIZO)
    _reload_locked(page)
    words = _catalogue(page)
    message = page.locator("#pin-error")

    _try_pin(page, "000000")
    expect(message).to_contain_text(words["lock.wrong_pin"])
    expect(message).to_contain_text(words["lock.tries_left"].split("{count}")[0].strip())
    assert _meta(page, "pin_failures")["count"] == 1
    _reload_locked(page)  # a reload does not reset the count
    assert _meta(page, "pin_failures")["count"] == 1
    _try_pin(page, "111111")
    expect(message).to_contain_text(words["lock.wrong_pin"])
    _try_pin(page, "222222")
    wait_text = words["lock.wait"].split("{seconds}")[0].strip()
    expect(message).to_contain_text(wait_text)
    assert _meta(page, "pin_failures")["count"] == 3
    button = page.locator("form[data-form=pin] button[type=submit]")
    expect(button).to_be_disabled()

    _reload_locked(page)  # still waiting after a reload; even the right PIN is not taken now
    expect(message).to_contain_text(wait_text)
    expect(button).to_be_disabled()
    refused = page.evaluate(f"import('/app/js/keyring.js').then((m) => m.unlock('{PIN}'))")
    assert refused["ok"] is False and refused["waiting"] is True
    assert _meta(page, "pin_failures")["count"] == 3
    assert page.locator("main[data-view=lockView]").count() == 1

    page.evaluate("import('/app/js/db.js').then((m) => m.setMeta('pin_failures', "
                  "{count: 3, at: Date.now() - 31000}))")  # the 30 s wait is over
    _reload_locked(page)
    unlock(page)
    assert _meta(page, "pin_failures")["count"] == 0
    assert page.evaluate(f"import('/app/js/db.js').then((m) => m.get('visits', '{visit_id}'))")


def test_auto_lock_after_idle_and_on_leaving_the_app_returns_to_the_same_screen(
        live, context_factory):
    page = context_factory().new_page()
    sign_in(page, live.url)
    visit_id = start_visit(page, SIZO)
    page.evaluate("location.hash = '#/status'")
    page.wait_for_selector("main[data-view=statusView] #lock-after")
    assert _meta(page, "lock_after_ms") is None  # the default, 5 minutes, is selected
    expect(page.locator("#lock-after")).to_have_value("300000")
    page.select_option("#lock-after", "60000")
    expect(page.locator("#lock-after")).to_have_value("60000")
    page.wait_for_function("true")
    assert _meta(page, "lock_after_ms") == 60000

    go_domain(page, visit_id, "safeguards")
    page.evaluate("import('/app/js/lock.js').then((m) => m.setIdleLimit(1500))")  # short
    page.wait_for_selector("main[data-view=lockView]", timeout=10000)  # by itself, when idle
    expect(page.locator("main .question")).to_have_count(0)
    assert page.evaluate("location.hash") == f"#/visit/{visit_id}/safeguards"
    page.evaluate("import('/app/js/lock.js').then((m) => m.setIdleLimit(600000))")
    unlock(page)
    page.wait_for_selector(SAFEGUARDS_SHOWN)

    answer(page, "safeguards.private_interviews_allowed", True)
    answer(page, "safeguards.ill_treatment_allegations", 1)
    question(page, "safeguards.allegations_summary").locator("textarea").fill(SUMMARY)
    page.evaluate("""() => {  // typing, and the inspector switches to another app at once
        Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
    }""")
    page.wait_for_selector("main[data-view=lockView]")
    page.evaluate("""() => {
        Object.defineProperty(document, 'visibilityState',
                              { value: 'visible', configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
    }""")
    expect(page.locator("main .question")).to_have_count(0)
    unlock(page)
    page.wait_for_selector(SAFEGUARDS_SHOWN)
    stored = page.evaluate(f"import('/app/js/db.js').then((m) => m.get('answers', "
                           f"['{visit_id}', 'safeguards.allegations_summary', '']))")
    assert stored["value"] == SUMMARY  # what was being typed was stored before the lock


def test_forgotten_pin_unlocks_offline_with_the_password_then_a_new_pin(live, context_factory):
    page = context_factory().new_page()
    sign_in(page, live.url)
    visit_id = start_visit(page, SIZO)
    go_domain(page, visit_id, "safeguards")
    page.fill(".notes-block textarea", NOTE)
    page.click(".notes-block button")
    expect(page.locator(".notes li")).to_contain_text([NOTE])
    page.context.set_offline(True)
    _reload_locked(page)
    words = _catalogue(page)
    page.click("#forgot-pin")
    page.wait_for_selector("main[data-view=passwordView] input[name=password]")
    page.fill("input[name=password]", "not-the-password")
    page.click("form[data-form=password] button[type=submit]")
    expect(page.locator("#password-error")).to_contain_text(words["lock.wrong_password"])
    page.fill("input[name=password]", "tekseru-demo")
    page.click("form[data-form=password] button[type=submit]")
    set_pin(page, "a long passphrase")
    page.wait_for_selector("main[data-view=checklistView] .notes li")
    expect(page.locator(".notes li")).to_contain_text([NOTE])

    _reload_locked(page)
    _try_pin(page, PIN)  # the old PIN no longer opens it
    expect(page.locator("#pin-error")).to_contain_text(words["lock.wrong_pin"])
    unlock(page, "a long passphrase")
    expect(page.locator(".notes li")).to_contain_text([NOTE])


def test_first_sign_in_asks_for_a_pin_twice_before_anything_else(live, context_factory):
    page = context_factory().new_page()
    page.goto(live.url + "/")
    page.wait_for_selector("main[data-view=loginView]")
    page.fill("input[name=username]", "inspector.almaty")
    page.fill("input[name=password]", "tekseru-demo")
    page.click("form button[type=submit]")
    page.wait_for_selector("main[data-view=pinSetupView] input[name=new-pin]")
    words = _catalogue(page)
    expect(page.locator("header nav a")).to_have_count(0)  # no way around it
    page.evaluate("location.hash = '#/'")
    page.wait_for_timeout(300)
    expect(page.locator("main[data-view=pinSetupView]")).to_have_count(1)
    submit = page.locator("form[data-form=set-pin] button[type=submit]")
    for first, second, key in (("12345", "12345", "lock.pin_short"),
                               ("123456", "123456", "lock.pin_weak"),
                               ("482913", "482914", "lock.pin_mismatch")):
        page.fill("input[name=new-pin]", first)
        page.fill("input[name=new-pin-again]", second)
        submit.click()
        expect(page.locator("#pin-error")).to_have_text(words[key])
    assert _meta(page, "keyring")["pin"] is None
    page.fill("input[name=new-pin]", PIN)
    page.evaluate("dispatchEvent(new CustomEvent('tekseru:pulled', { detail: 1 }))")  # a sync
    page.wait_for_timeout(500)
    expect(page.locator("input[name=new-pin]")).to_have_value(PIN)  # not drawn again under it
    set_pin(page)
    page.wait_for_selector("main[data-view=facilitiesView] .facility")
    ring = _meta(page, "keyring")
    assert ring["pin"]["iterations"] == ring["password"]["iterations"] == 310000
    assert ring["pin"]["salt"] != ring["password"]["salt"]


# What a build from before encryption left behind: a plain note and safeguards answer, and
# their ops (format 2, plain values), and no keyring.
OLD_BUILD = """async ([visitId, note, summary]) => {
  const conn = await new Promise((resolve, reject) => {
    const request = indexedDB.open('tekseru');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const tx = conn.transaction(['meta', 'notes', 'answers', 'outbox'], 'readwrite');
  const meta = tx.objectStore('meta');
  const got = (key) => new Promise((resolve) => {
    meta.get(key).onsuccess = (event) => resolve(event.target.result);
  });
  const device = await got('device_id');
  let seq = await got('seq');
  const hlc = `${Date.now()}-0-${device}`;
  const created = new Date().toISOString();
  for (const key of ['keyring', 'sealed_at_rest', 'pin_failures']) meta.delete(key);
  const noteId = crypto.randomUUID();
  tx.objectStore('notes').put({ id: noteId, visit_id: visitId, domain: 'safeguards',
    question_id: null, text: note, hlc, created_at: created, own: true });
  const answer = (question, value) => tx.objectStore('answers').put({ visit_id: visitId,
    question_id: `safeguards.${question}`, regime: '', value, hlc, cursor: null,
    author_id: null, own: true });
  answer('private_interviews_allowed', true);
  answer('ill_treatment_allegations', 2);
  answer('allegations_summary', summary);
  const ops = [
    { type: 'note.add', value: { note_id: noteId, text: note, domain: 'safeguards' } },
    { type: 'answer.set', question_id: 'safeguards.private_interviews_allowed', value: true },
    { type: 'answer.set', question_id: 'safeguards.ill_treatment_allegations', value: 2 },
    { type: 'answer.set', question_id: 'safeguards.allegations_summary', value: summary },
  ];
  for (const op of ops) {
    seq += 1;
    tx.objectStore('outbox').put({ op_id: crypto.randomUUID(), seq, base: null,
      hlc: `${Date.now()}-${seq}-${device}`, visit_id: visitId, ...op, format: 2,
      created_at: created });
  }
  meta.put(seq, 'seq');
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  conn.close();
}"""


def test_plain_records_of_an_older_build_are_sealed_once_the_pin_is_set_and_still_sync(
        live, context_factory, client, login):
    page = context_factory().new_page()
    sign_in(page, live.url)
    page.context.set_offline(True)
    visit_id = start_visit(page, SIZO)
    page.evaluate(OLD_BUILD, [visit_id, NOTE, SUMMARY])
    texts, data, _ = _dump(page)
    assert NOTE in texts and SUMMARY in texts  # the old build's plain records

    page.reload()  # the new build starts: no keyring yet, so it asks for a PIN and the password
    page.wait_for_selector("main[data-view=pinSetupView] input[name=password]")
    page.fill("input[name=new-pin]", PIN)
    page.fill("input[name=new-pin-again]", PIN)
    page.fill("input[name=password]", "tekseru-demo")
    page.click("form[data-form=set-pin] button[type=submit]")
    page.wait_for_selector("main:not([data-view=pinSetupView])")
    assert _meta(page, "sealed_at_rest") == 1
    texts, data, _ = _dump(page)
    for secret in (NOTE, SUMMARY, "Qx7-Ivanov", "Zk9 двое"):
        assert secret not in texts and secret.encode("utf-8") not in data, secret
    formats = page.evaluate("import('/app/js/outbox.js').then(async (m) => "
                            "(await m.pendingOps()).map((op) => [op.type, op.format]))")
    assert [tuple(f) for f in formats] == [("visit.upsert", 3), ("note.add", 3)] + [
        ("answer.set", 3)] * 3  # the old ops, sealed, now format 3

    page.context.set_offline(False)
    wait_synced(page, timeout=60)
    visit = client.get(f"/api/v1/visits/{visit_id}", headers=login("inspector.almaty")).json
    assert [n["text"] for n in visit["notes"]] == [NOTE]
    answers = {a["question_id"]: a["value"] for a in visit["answers"]}
    assert answers["safeguards.allegations_summary"] == SUMMARY
    page.reload()  # the password typed at the PIN screen is the recovery wrap
    page.wait_for_selector("main[data-view=lockView]")
    page.click("#forgot-pin")
    page.fill("input[name=password]", "tekseru-demo")
    page.click("form[data-form=password] button[type=submit]")
    page.wait_for_selector("main[data-view=pinSetupView]")


STORES = ["visits", "answers", "notes", "photos", "blobs", "outbox", "rejected", "conflicts"]
COUNT = ("import('/app/js/db.js').then(async (m) => { const out = {}; for (const s of %s) "
         "out[s] = await m.count(s); return out; })")


def _run_sync(page):
    try:
        sync_now(page)
    except Error:
        pass  # the app reloads itself once it has erased its data


def test_a_revoked_tablet_left_locked_is_wiped_when_nothing_waits(
        live, context_factory, client, login):
    page = context_factory().new_page()
    sign_in(page, live.url)
    visit_id = start_visit(page, SIZO)
    go_domain(page, visit_id, "safeguards")
    page.fill(".notes-block textarea", NOTE)
    page.click(".notes-block button")
    wait_synced(page)
    device = _meta(page, "device_id")
    page.click("#lock-now")
    page.wait_for_selector("main[data-view=lockView]")
    assert client.post(f"/api/v1/devices/{device}/revoke", json={},
                       headers=login("chair.almaty")).status_code == 200
    _run_sync(page)  # locked: an empty push needs no key, and the server says wipe
    page.wait_for_selector("main[data-view=loginView]", timeout=30000)
    assert set(page.evaluate(COUNT % STORES).values()) == {0}
    assert _meta(page, "keyring") is None and _meta(page, "token") is None
    visit = client.get(f"/api/v1/visits/{visit_id}", headers=login("chair.almaty")).json
    assert [n["text"] for n in visit["notes"]] == [NOTE]


def test_a_revoked_tablet_left_locked_keeps_unsent_work_until_unlocked(
        live, context_factory, client, login):
    page = context_factory().new_page()
    sign_in(page, live.url)
    visit_id = start_visit(page, SIZO)
    wait_synced(page)
    page.context.set_offline(True)
    go_domain(page, visit_id, "safeguards")
    answer(page, "safeguards.private_interviews_allowed", True)
    answer(page, "safeguards.ill_treatment_allegations", 1)
    answer(page, "safeguards.allegations_summary", SUMMARY)
    device = _meta(page, "device_id")
    page.click("#lock-now")
    page.wait_for_selector("main[data-view=lockView]")
    assert client.post(f"/api/v1/devices/{device}/revoke", json={},
                       headers=login("chair.almaty")).status_code == 200
    page.context.set_offline(False)
    _run_sync(page)  # locked with sealed work waiting: nothing is sent, nothing is erased
    assert backlog(page)["pending"] == 3
    assert page.locator("main[data-view=lockView]").count() == 1
    unlock(page)  # the unlock sends it all, then the tablet is wiped
    page.wait_for_selector("main[data-view=loginView]", timeout=30000)
    assert set(page.evaluate(COUNT % STORES).values()) == {0}
    visit = client.get(f"/api/v1/visits/{visit_id}", headers=login("chair.almaty")).json
    answers = {a["question_id"]: a["value"] for a in visit["answers"]}
    assert answers["safeguards.allegations_summary"] == SUMMARY


def test_changing_the_pin_needs_the_current_one(live, context_factory):
    page = context_factory().new_page()
    sign_in(page, live.url)
    page.context.set_offline(True)
    words = _catalogue(page)
    page.evaluate("location.hash = '#/status'")
    page.click("#change-pin")
    page.wait_for_selector("main[data-view=pinSetupView] input[name=current-pin]")
    page.fill("input[name=current-pin]", "999999")
    page.fill("input[name=new-pin]", "271828")
    page.fill("input[name=new-pin-again]", "271828")
    page.click("form[data-form=set-pin] button[type=submit]")
    expect(page.locator("#pin-error")).to_contain_text(words["lock.wrong_pin"])
    assert _meta(page, "pin_failures")["count"] == 1  # counted like the lock screen's tries
    page.wait_for_selector("main[data-view=pinSetupView]")  # still here, nothing changed

    page.fill("input[name=current-pin]", PIN)
    page.fill("input[name=new-pin]", "271828")
    page.fill("input[name=new-pin-again]", "271828")
    page.click("form[data-form=set-pin] button[type=submit]")
    page.wait_for_selector("main[data-view=statusView]")
    assert _meta(page, "pin_failures")["count"] == 0

    _reload_locked(page)
    _try_pin(page, PIN)  # the old PIN no longer opens it
    expect(page.locator("#pin-error")).to_contain_text(words["lock.wrong_pin"])
    unlock(page, "271828")
