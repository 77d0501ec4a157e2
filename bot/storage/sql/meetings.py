"""Meetings: the one in progress per chat, finished and abandoned ones, for both databases.

A meeting in progress is saved a turn at a time: its `state` column holds everything but
the turns, and each turn has its row in `meeting_turns`, so that a turn writes as much at
turn 40 as at turn 2. A finished meeting keeps its whole state, turns included, in `state`.
Readers always get the whole state.
"""

from __future__ import annotations

import json
import time

from bot.storage.records import MeetingRecord
from bot.storage.sql import Repository
from bot.storage.sql.users import touch

COLUMNS = (
    "id, user_id, chat_id, persona_id, lang, status, exam, state, score, feedback,"
    " started_at, ended_at"
)


class SqlMeetings(Repository):
    def _record(self, row: tuple) -> MeetingRecord:
        state = json.loads(row[7])
        if "turns" not in state:  # in progress (or abandoned): the turns have their rows
            state["turns"] = [
                json.loads(turn)
                for (turn,) in self.sql.run(
                    "SELECT turn FROM meeting_turns WHERE meeting_id = ? ORDER BY n", (row[0],)
                )
            ]
        return MeetingRecord(
            id=row[0],
            user_id=row[1],
            chat_id=row[2],
            persona_id=row[3],
            lang=row[4],
            status=row[5],
            exam=bool(row[6]),
            state=state,
            score=row[8],
            feedback=json.loads(row[9]) if row[9] else None,
            started_at=row[10],
            ended_at=row[11],
        )

    def _one(self, where: str, *args: object) -> MeetingRecord | None:
        row = self.sql.run(f"SELECT {COLUMNS} FROM meetings WHERE {where}", args).fetchone()
        return self._record(row) if row else None

    def active(self, chat_id: int) -> MeetingRecord | None:
        return self._one("chat_id = ? AND status = 'active'", chat_id)

    def get(self, meeting_id: int, user_id: int) -> MeetingRecord | None:
        return self._one("id = ? AND user_id = ?", meeting_id, user_id)

    def start(
        self, *, user_id: int, chat_id: int, persona_id: str, lang: str, state: dict, exam: bool
    ) -> int:
        """Create the chat's active meeting, abandoning any previous one."""
        now = time.time()
        touch(self.sql, user_id)
        self.sql.run(
            "UPDATE meetings SET status = 'cancelled', ended_at = ?, updated_at = ?"
            " WHERE chat_id = ? AND status = 'active'",
            (now, now, chat_id),
        )
        head = {key: value for key, value in state.items() if key != "turns"}
        row = self.sql.run(
            "INSERT INTO meetings (user_id, chat_id, persona_id, lang, status, exam, state,"
            " started_at, updated_at) VALUES (?, ?, ?, ?, 'active', ?, ?, ?, ?) RETURNING id",
            (user_id, chat_id, persona_id, lang, bool(exam), json.dumps(head), now, now),
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
        saved = self.sql.run(
            "UPDATE meetings SET state = ?, updated_at = ? WHERE id = ? AND status = 'active'",
            (json.dumps(head), time.time(), meeting_id),
        ).rowcount
        if not saved:
            return
        rows = [(meeting_id, n, json.dumps(turn)) for n, turn in turns.items() if n < count]
        if rows:
            self.sql.run_many(
                "INSERT INTO meeting_turns (meeting_id, n, turn) VALUES (?, ?, ?)"
                " ON CONFLICT (meeting_id, n) DO UPDATE SET turn = excluded.turn",
                rows,
            )
        self.sql.run(
            "DELETE FROM meeting_turns WHERE meeting_id = ? AND n >= ?", (meeting_id, count)
        )

    def save_state(self, meeting_id: int, state: dict) -> None:
        """The whole state at once (every turn rewritten): `save_progress` is the fast way."""
        turns = state.get("turns", [])
        head = {key: value for key, value in state.items() if key != "turns"}
        self.save_progress(meeting_id, head, dict(enumerate(turns)), len(turns))

    def finish(self, meeting_id: int, state: dict, feedback: dict, score: int) -> None:
        now = time.time()
        self.sql.run(
            "UPDATE meetings SET status = 'finished', state = ?, feedback = ?, score = ?,"
            " ended_at = ?, updated_at = ? WHERE id = ?",
            (json.dumps(state), json.dumps(feedback), score, now, now, meeting_id),
        )
        self.sql.run("DELETE FROM meeting_turns WHERE meeting_id = ?", (meeting_id,))

    def cancel(self, meeting_id: int) -> None:
        now = time.time()
        self.sql.run(
            "UPDATE meetings SET status = 'cancelled', ended_at = ?, updated_at = ?"
            " WHERE id = ? AND status = 'active'",
            (now, now, meeting_id),
        )

    def finished(self, user_id: int, limit: int = 20) -> list[MeetingRecord]:
        """Finished meetings, oldest first (the most recent `limit`; all when negative)."""
        rows = self.sql.run(
            f"SELECT {COLUMNS} FROM meetings WHERE user_id = ? AND status = 'finished'"
            " ORDER BY ended_at DESC, id DESC LIMIT ?",
            (user_id, self.sql.limit(limit)),
        ).fetchall()
        return [self._record(row) for row in reversed(rows)]

    def met(self, user_id: int) -> list[str]:
        rows = self.sql.run(
            "SELECT persona_id FROM meetings WHERE user_id = ? AND status = 'finished'"
            " GROUP BY persona_id ORDER BY min(started_at)",
            (user_id,),
        ).fetchall()
        return [row[0] for row in rows]

    def all_of(self, user_id: int) -> list[MeetingRecord]:
        rows = self.sql.run(
            f"SELECT {COLUMNS} FROM meetings WHERE user_id = ? ORDER BY started_at, id",
            (user_id,),
        ).fetchall()
        return [self._record(row) for row in rows]
