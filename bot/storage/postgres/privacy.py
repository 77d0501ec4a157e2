"""Privacy on PostgreSQL: the shared repository (`bot.storage.sql.privacy`), with retention
run by one process at a time. Deleted rows stay on disk as dead tuples until (auto)vacuum
reclaims their space."""

from __future__ import annotations

import logging

from bot.storage.sql.privacy import SqlPrivacy

log = logging.getLogger(__name__)

#: `pg_try_advisory_xact_lock` key of retention ("purg" in ASCII).
PURGE_LOCK = 0x70757267


class PostgresPrivacy(SqlPrivacy):
    def purge(self, cutoff: float) -> int:
        """As `SqlPrivacy.purge`, by one process at a time: the others find the lock taken
        and skip their turn (0) rather than wait, or delete the same rows in another order
        and deadlock. (SQLite needs no lock: its writers take turns on the file.)"""
        row = self.sql.run("SELECT pg_try_advisory_xact_lock(?)", (PURGE_LOCK,)).fetchone()
        if not (row and row[0]):
            log.info("event=retention_skipped reason=another process is purging")
            return 0
        return super().purge(cutoff)
