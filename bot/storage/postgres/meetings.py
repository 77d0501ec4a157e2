"""Meetings: the one in progress per chat, finished and abandoned ones.

As in SQLite: a meeting in progress is saved a turn at a time (its `state` holds everything
but the turns, each turn has its row in `meeting_turns`); a finished one keeps its whole
state. Readers always get the whole state.
"""

from __future__ import annotations

import json
import time

import psycopg

from bot.storage.postgres.users import touch
from bot.storage.records import MeetingRecord

COLUMNS = (
    "id, user_id, chat_id, persona_id, lang, status, exam, state, score, feedback,"
    " started_at, ended_at"
)


def record(row: tuple, conn: psycopg.Connection) -> MeetingRecord:
    state = json.loads(row[7])
    if "turns" not in state:  # in progress (or abandoned): the turns have their rows
        state["turns"] = [
            json.loads(turn)
            for (turn,) in conn.execute(
                "SELECT turn FROM meeting_turns WHERE meeting_id = %s ORDER BY n", (row[0],)
            )
        ]
    return MeetingRecord(
        id=row[0],
        user_id=row[1],
        chat_id=row[2],
        persona_id=row[3],
        lang=row[4],
        status=row[5],
        exam=row[6],
        state=state,
        score=row[8],
        feedback=json.loads(row[9]) if row[9] else None,
        started_at=row[10],
        ended_at=row[11],
    )


class PostgresMeetings:
    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn

    def _one(self, where: str, *args: object) -> MeetingRecord | None:
        row = self.conn.execute(f"SELECT {COLUMNS} FROM meetings WHERE {where}", args).fetchone()
        return record(row, self.conn) if row else None

    def active(self, chat_id: int) -> MeetingRecord | None:
        return self._one("chat_id = %s AND status = 'active'", chat_id)

    def get(self, meeting_id: int, user_id: int) -> MeetingRecord | None:
        return self._one("id = %s AND user_id = %s", meeting_id, user_id)

    def start(
        self, *, user_id: int, chat_id: int, persona_id: str, lang: str, state: dict, exam: bool
    ) -> int:
        """Create the chat's active meeting, abandoning any previous one."""
        now = time.time()
        touch(self.conn, user_id)
        self.conn.execute(
            "UPDATE meetings SET status = 'cancelled', ended_at = %s, updated_at = %s"
            " WHERE chat_id = %s AND status = 'active'",
            (now, now, chat_id),
        )
        head = {key: value for key, value in state.items() if key != "turns"}
        row = self.conn.execute(
            "INSERT INTO meetings (user_id, chat_id, persona_id, lang, status, exam, state,"
            " started_at, updated_at) VALUES (%s, %s, %s, %s, 'active', %s, %s, %s, %s)"
            " RETURNING id",
            (user_id, chat_id, persona_id, lang, exam, json.dumps(head), now, now),
        ).fetchone()
        meeting_id = int(row[0]) if row else 0
        turns = state.get("turns", [])
        self.save_progress(meeting_id, head, dict(enumerate(turns)), len(turns))
        return meeting_id

    def save_progress(
        self, meeting_id: int, head: dict, turns: dict[int, dict], count: int
    ) -> None:
        """What a turn (or a take-back) changed: the meeting's head, the turns given by their
        index, and no turn from `count` on; the turns not given stay as they are."""
        saved = self.conn.execute(
            "UPDATE meetings SET state = %s, updated_at = %s WHERE id = %s AND status = 'active'",
            (json.dumps(head), time.time(), meeting_id),
        ).rowcount
        if not saved:
            return
        rows = [(meeting_id, n, json.dumps(turn)) for n, turn in turns.items() if n < count]
        if rows:
            with self.conn.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO meeting_turns (meeting_id, n, turn) VALUES (%s, %s, %s)"
                    " ON CONFLICT (meeting_id, n) DO UPDATE SET turn = EXCLUDED.turn",
                    rows,
                )
        self.conn.execute(
            "DELETE FROM meeting_turns WHERE meeting_id = %s AND n >= %s", (meeting_id, count)
        )

    def save_state(self, meeting_id: int, state: dict) -> None:
        """The whole state at once (every turn rewritten): `save_progress` is the fast way."""
        turns = state.get("turns", [])
        head = {key: value for key, value in state.items() if key != "turns"}
        self.save_progress(meeting_id, head, dict(enumerate(turns)), len(turns))

    def finish(self, meeting_id: int, state: dict, feedback: dict, score: int) -> None:
        now = time.time()
        self.conn.execute(
            "UPDATE meetings SET status = 'finished', state = %s, feedback = %s, score = %s,"
            " ended_at = %s, updated_at = %s WHERE id = %s",
            (json.dumps(state), json.dumps(feedback), score, now, now, meeting_id),
        )
        self.conn.execute("DELETE FROM meeting_turns WHERE meeting_id = %s", (meeting_id,))

    def cancel(self, meeting_id: int) -> None:
        now = time.time()
        self.conn.execute(
            "UPDATE meetings SET status = 'cancelled', ended_at = %s, updated_at = %s"
            " WHERE id = %s AND status = 'active'",
            (now, now, meeting_id),
        )

    def finished(self, user_id: int, limit: int = 20) -> list[MeetingRecord]:
        """Finished meetings, oldest first (the most recent `limit`; all when negative, as
        with SQLite)."""
        rows = self.conn.execute(
            f"SELECT {COLUMNS} FROM meetings WHERE user_id = %s AND status = 'finished'"
            " ORDER BY ended_at DESC, id DESC LIMIT %s",
            (user_id, limit if limit >= 0 else None),
        ).fetchall()
        return [record(row, self.conn) for row in reversed(rows)]

    def met(self, user_id: int) -> list[str]:
        rows = self.conn.execute(
            "SELECT persona_id FROM meetings WHERE user_id = %s AND status = 'finished'"
            " GROUP BY persona_id ORDER BY min(started_at)",
            (user_id,),
        ).fetchall()
        return [row[0] for row in rows]

    def all_of(self, user_id: int) -> list[MeetingRecord]:
        rows = self.conn.execute(
            f"SELECT {COLUMNS} FROM meetings WHERE user_id = %s ORDER BY started_at, id",
            (user_id,),
        ).fetchall()
        return [record(row, self.conn) for row in rows]
