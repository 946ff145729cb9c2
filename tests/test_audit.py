"""The audit hash chain: appended on every state change, tampering detected."""

from sqlalchemy import text

from server.audit import append_event, verify_chain
from server.extensions import db
from server.models import AuditEvent


def _chain_of(n):
    """Append n events and commit."""
    for i in range(n):
        append_event("test_event", target_type="test", target_id=str(i), data={"i": i})
    db.session.commit()


def test_state_changes_are_audited(client, login, demo):
    login("inspector.almaty")
    actions = db.session.execute(db.select(AuditEvent.action)).scalars().all()
    assert actions.count("user_created") == 8
    assert "login" in actions
    assert verify_chain() == (len(actions), None)


def test_intact_chain_verifies(app):
    _chain_of(5)
    checked, problem = verify_chain()
    assert (checked, problem) == (5, None)


def test_edited_event_is_caught(app, runner):
    _chain_of(5)
    db.session.execute(text("UPDATE audit_event SET target_id = 'forged' WHERE seq = 3"))
    db.session.commit()
    checked, problem = verify_chain()
    assert problem.seq == 3 and "altered" in problem.reason
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "audit event 3" in result.output


def test_deleted_event_is_caught(app):
    _chain_of(5)
    db.session.execute(text("DELETE FROM audit_event WHERE seq = 2"))
    db.session.commit()
    _, problem = verify_chain()
    assert problem.seq == 2 and "missing" in problem.reason


def test_deleted_last_event_is_caught(app):
    _chain_of(5)
    db.session.execute(text("DELETE FROM audit_event WHERE seq = 5"))
    db.session.commit()
    _, problem = verify_chain()
    assert problem is not None and problem.seq == 5


def test_reordered_events_are_caught(app):
    _chain_of(5)
    db.session.execute(text("UPDATE audit_event SET seq = 100 WHERE seq = 2"))
    db.session.execute(text("UPDATE audit_event SET seq = 2 WHERE seq = 4"))
    db.session.execute(text("UPDATE audit_event SET seq = 4 WHERE seq = 100"))
    db.session.commit()
    _, problem = verify_chain()
    assert problem.seq == 2


def test_cli_verify_passes_on_an_intact_chain(app, runner):
    _chain_of(3)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "3 events" in result.output
