"""A visit's team (members of the visit's commission only) and author names in pull."""

from synctools import PULL, Device, new_id, push_ok

from server.extensions import db


def _results(body):
    return [(r["status"], r.get("reason")) for r in body["results"]]


def test_team_takes_active_members_of_the_commission_only(client, almaty, demo, tablet):
    sizo = demo.facility("almaty-sizo")
    me, colleague = demo.user("inspector.almaty"), demo.user("inspector2.almaty")
    chair, foreign = demo.user("chair.almaty"), demo.user("inspector.karaganda")
    good, bad = new_id(), new_id()
    body = push_ok(client, almaty, tablet, [
        tablet.upsert(good, sizo, team=[str(me.id), str(colleague.id), str(chair.id)]),
        tablet.upsert(bad, sizo, team=[str(me.id), str(foreign.id)]),
        tablet.upsert(good, sizo, team=[str(me.id), str(foreign.id)]),
    ])
    assert _results(body) == [("applied", None), ("rejected", "team_not_in_commission"),
                              ("rejected", "team_not_in_commission")]
    assert body["results"][1]["errors"] == {"value": {"team": [
        "every member must be an active member of the facility's commission"]}}
    detail = client.get(f"/api/v1/visits/{good}", headers=almaty).json
    assert detail["team"] == sorted([str(me.id), str(colleague.id), str(chair.id)])
    assert client.get(f"/api/v1/visits/{bad}", headers=almaty).status_code == 404


def test_a_disabled_account_cannot_join_a_team(client, almaty, demo, tablet):
    colleague = demo.user("inspector2.almaty")
    colleague.active = False
    db.session.commit()
    body = push_ok(client, almaty, tablet, [tablet.upsert(
        new_id(), demo.facility("almaty-sizo"),
        team=[str(demo.user("inspector.almaty").id), str(colleague.id)])])
    assert _results(body) == [("rejected", "team_not_in_commission")]


def test_pull_names_the_authors_of_changes_and_of_both_sides_of_a_conflict(
        client, almaty, almaty2, demo, tablet, visit):
    other = Device(ms=tablet.ms + 60_000)
    push_ok(client, almaty, tablet, [tablet.answer(visit, "nutrition.meals_per_day", 3)])
    body = push_ok(client, almaty2, other, [other.answer(visit, "nutrition.meals_per_day", 2)])
    assert body["results"][0]["status"] == "conflict"
    changes = client.get(f"{PULL}?cursor=0&device_id={tablet.id}", headers=almaty).json["changes"]
    me, colleague = str(demo.user("inspector.almaty").id), str(demo.user("inspector2.almaty").id)
    names = {(c["author_id"], c["author_name"]) for c in changes}
    assert names == {(me, "Нурлан Абенов"), (colleague, "Елена Ким")}
    conflict = next(c for c in changes if c["entity"] == "conflict")
    assert conflict["data"]["loser"]["value"] == 3 and conflict["data"]["winner"]["value"] == 2
    assert (conflict["data"]["loser"]["author_id"], conflict["data"]["loser"]["author_name"]) \
        == (me, "Нурлан Абенов")
    assert (conflict["data"]["winner"]["author_id"], conflict["data"]["winner"]["author_name"]) \
        == (colleague, "Елена Ким")
    detail = client.get(f"/api/v1/visits/{visit}", headers=almaty).json
    assert "author_name" not in detail["conflicts"][0]["loser"]  # the stored record is unchanged


def test_an_author_without_a_full_name_is_named_by_username(client, almaty, demo, tablet, visit):
    demo.user("inspector.almaty").full_name = ""
    db.session.commit()
    push_ok(client, almaty, tablet, [tablet.answer(visit, "nutrition.meals_per_day", 3)])
    changes = client.get(f"{PULL}?cursor=0", headers=almaty).json["changes"]
    assert {c["author_name"] for c in changes} == {"inspector.almaty"}
