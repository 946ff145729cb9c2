"""Scope: a commission's visits are written only by its own inspectors and chair."""

from synctools import Device, new_id, pull_all, push_ok

SHA = "c" * 64


def _every_kind(tab, visit, facility):
    return [tab.upsert(visit, facility), tab.answer(visit, "nutrition.meals_per_day", 1),
            tab.clear(visit, "nutrition.meals_per_day"), tab.note(visit, "чужой"),
            tab.photo(visit, SHA), tab.submit(visit)]


def test_a_karaganda_inspector_cannot_push_into_an_almaty_visit(client, almaty, karaganda, demo,
                                                                visit):
    before = client.get(f"/api/v1/visits/{visit}", headers=almaty).get_json()
    tab = Device()
    body = push_ok(client, karaganda, tab, _every_kind(tab, visit, demo.facility("almaty-sizo")))
    assert {(r["status"], r["reason"]) for r in body["results"]} == {("rejected", "out_of_scope")}
    assert body["missing_blobs"] == []
    assert client.get(f"/api/v1/visits/{visit}", headers=almaty).get_json() == before
    assert pull_all(client, karaganda)[0] == []


def test_out_of_scope_and_missing_visits_look_the_same(client, karaganda, demo, visit):
    tab = Device()
    ours = _every_kind(tab, visit, demo.facility("karaganda-sizo"))[1:]
    missing = _every_kind(tab, new_id(), demo.facility("karaganda-sizo"))[1:]
    first = push_ok(client, karaganda, tab, ours)["results"]
    second = push_ok(client, karaganda, tab, missing)["results"]
    assert [r["reason"] for r in first] == [r["reason"] for r in second]


def test_a_visit_id_taken_in_another_commission_cannot_be_claimed(client, karaganda, demo, visit):
    tab = Device()
    body = push_ok(client, karaganda, tab, [tab.upsert(visit, demo.facility("karaganda-sizo"))])
    assert body["results"][0]["reason"] == "out_of_scope"


def test_national_roles_read_but_do_not_write(client, login, demo, visit):
    for username in ("ombudsman", "admin"):
        tab = Device()
        body = push_ok(client, login(username), tab, [tab.note(visit, "from the capital")])
        assert body["results"][0]["reason"] == "out_of_scope"
        assert client.get(f"/api/v1/visits/{visit}", headers=login(username)).status_code == 200


def test_the_chair_writes_in_own_commission(client, login, visit):
    tab = Device()
    body = push_ok(client, login("chair.almaty"), tab, [tab.note(visit, "председатель")])
    assert body["results"][0]["status"] == "applied"
