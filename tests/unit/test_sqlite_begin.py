"""SQLite's write lock is taken by polling in short steps, not by SQLite's 100 ms busy sleeps."""

import sqlite3
import threading

import pytest

from server.db_session import BUSY_TIMEOUT_MS, begin_immediate


def _connect(path):
    raw = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return raw


@pytest.fixture
def pair(tmp_path):
    path = tmp_path / "lock.sqlite3"
    first, second = _connect(path), _connect(path)
    first.execute("CREATE TABLE t (x INTEGER)")
    yield first, second
    first.close()
    second.close()


def test_waits_for_the_writer_and_then_holds_the_lock(pair):
    first, second = pair
    first.execute("BEGIN IMMEDIATE")
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 5:
            first.execute("COMMIT")  # the other writer finishes while we poll

    begin_immediate(second, sleep=sleep)
    assert second.in_transaction
    assert len(sleeps) == 5
    assert max(sleeps) <= 0.008  # never SQLite's 100 ms steps
    second.execute("INSERT INTO t VALUES (1)")
    second.execute("COMMIT")
    # the connection's own busy timeout is back for statements inside transactions
    assert second.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS


def test_gives_up_after_the_timeout_with_sqlites_error(pair):
    first, second = pair
    first.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        begin_immediate(second, timeout=0.05)
    assert not second.in_transaction
    assert second.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS
    first.execute("ROLLBACK")


def test_two_threads_both_write_everything(pair):
    first, second = pair
    errors = []

    def writer(raw, value):
        try:
            for _ in range(50):
                begin_immediate(raw)
                raw.execute("INSERT INTO t VALUES (?)", (value,))
                raw.execute("COMMIT")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(raw, n)) for n, raw in enumerate(pair)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert first.execute("SELECT x, count(*) FROM t GROUP BY x ORDER BY x").fetchall() == \
        [(0, 50), (1, 50)]


def test_other_errors_are_not_retried(tmp_path):
    raw = sqlite3.connect(tmp_path / "x.sqlite3", isolation_level=None)
    raw.execute("BEGIN")
    with pytest.raises(sqlite3.OperationalError, match="within a transaction"):
        begin_immediate(raw, sleep=lambda s: pytest.fail("retried"))
    raw.close()
