"""After the meeting: the step the user is at, and their notes and thank-you drafts."""

from __future__ import annotations

import json
import time

from bot.storage.records import AftercareStep, Note, Stage
from bot.storage.sql import Repository
from bot.storage.sql.users import touch


class SqlAftercare(Repository):
    def step(self, user_id: int) -> AftercareStep | None:
        row = self.sql.run(
            "SELECT meeting_id, stage FROM aftercare WHERE user_id = ?", (user_id,)
        ).fetchone()
        return AftercareStep(row[0], row[1]) if row else None

    def set(self, user_id: int, meeting_id: int, stage: Stage) -> None:
        touch(self.sql, user_id)
        self.sql.run(
            "INSERT INTO aftercare (user_id, meeting_id, stage) VALUES (?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET meeting_id = excluded.meeting_id,"
            " stage = excluded.stage",
            (user_id, meeting_id, stage),
        )

    def clear(self, user_id: int) -> None:
        self.sql.run("DELETE FROM aftercare WHERE user_id = ?", (user_id,))


class SqlNotes(Repository):
    def add(
        self, user_id: int, meeting_id: int, kind: Stage, text: str, score: int, result: dict
    ) -> None:
        touch(self.sql, user_id)
        self.sql.run(
            "INSERT INTO notes (user_id, meeting_id, kind, text, score, result, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (user_id, meeting_id, kind, text, score, json.dumps(result), time.time()),
        )

    def of(self, user_id: int, kind: Stage = "notes", limit: int = 10) -> list[Note]:
        """The user's latest notes (or drafts) of that kind, oldest first (all of them when
        `limit` is negative)."""
        rows = self.sql.run(
            "SELECT notes.id, notes.meeting_id, meetings.persona_id, kind, text, notes.score,"
            " result, created_at FROM notes JOIN meetings ON meetings.id = notes.meeting_id"
            " WHERE notes.user_id = ? AND kind = ?"
            " ORDER BY notes.created_at DESC, notes.id DESC LIMIT ?",
            (user_id, kind, self.sql.limit(limit)),
        ).fetchall()
        return [
            Note(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), r[7]) for r in reversed(rows)
        ]
