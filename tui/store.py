"""SQLite cache of per-document extraction results.

A restart over an unchanged corpus, or a reload after one article changed,
should not run spaCy over every article again. Each article's `DocResult` is
stored as JSON, keyed by everything the extraction reads:

- the article (content hash of its bytes; the engine folds in its id, since
  records carry the id and a date may come from the file name),
- the config hash,
- the spaCy pipeline (`name@version`),
- the extraction code: `EXTRACTION_VERSION` plus a fingerprint of the
  extraction sources, so a result made by other code is never served.

One database file, `results.sqlite3`, lives in `$TUI_CACHE_DIR`, else
`$XDG_CACHE_HOME/tui`, else `~/.cache/tui`. It is only a cache: a corrupt,
foreign or old-schema file is rebuilt empty; a locked or unwritable one is
bypassed for the session, with results kept in memory instead. Each of these
leaves one line in `ResultStore.warnings` and never stops extraction.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui.extract.models import DocResult
from tui.paths import user_dir

# Bump when extraction output changes in a way the source fingerprint misses
# (e.g. a change in a dependency's behaviour that our code relies on).
EXTRACTION_VERSION = 1
# Bump when the table layout changes; an older file is rebuilt.
SCHEMA_VERSION = 1

CACHE_ENV = "TUI_CACHE_DIR"
DB_NAME = "results.sqlite3"
# Enough for an archive of a few hundred thousand articles (a result is a few kB).
MAX_BYTES = 2 * 1024 * 1024 * 1024
MAX_ENTRIES = 500_000
BUSY_TIMEOUT_MS = 1500  # how long to wait for another process's write
TOUCH_AFTER_S = 24 * 3600  # refresh an entry's last-used time at most daily
PRUNE_EVERY = 256  # puts between size checks

# Sources whose change changes what extraction produces.
_PACKAGE = Path(__file__).resolve().parent
# config.py is not among them: what extraction reads of the config is in the config hash.
_SOURCES = ("extract/*.py", "extract/*.yaml", "corpus.py", "layout.py", "webpage.py", "records.py")
# Modules of extract/ that work on the cached results, after them: changing
# how articles are merged into a picture keeps every cached result good.
_AFTER_RESULTS = {"aggregate.py", "relevance.py", "shared_aliases.py"}

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS results (
    content_hash TEXT NOT NULL,
    config_hash  TEXT NOT NULL,
    pipeline     TEXT NOT NULL,
    extraction   TEXT NOT NULL,
    result       TEXT NOT NULL,
    size         INTEGER NOT NULL,
    used         REAL NOT NULL,
    PRIMARY KEY (content_hash, config_hash, pipeline, extraction)
);
CREATE INDEX IF NOT EXISTS results_by_use ON results (used);
PRAGMA user_version = {SCHEMA_VERSION};
"""


def cache_dir() -> Path:
    """Where the cache lives: $TUI_CACHE_DIR, $XDG_CACHE_HOME/tui or ~/.cache/tui."""
    return user_dir(CACHE_ENV, "XDG_CACHE_HOME", ".cache")


@functools.cache
def _source_digest() -> str:
    """Hash of the extraction sources, read once: the code this process runs."""
    digest = hashlib.sha256()
    for pattern in _SOURCES:
        for path in sorted(_PACKAGE.glob(pattern)):
            if path.parent.name == "extract" and path.name in _AFTER_RESULTS:
                continue
            try:
                data = path.read_bytes()
            except OSError:
                continue
            digest.update(path.name.encode() + b"\0" + data + b"\0")
    return digest.hexdigest()[:12]


def extraction_fingerprint() -> str:
    """EXTRACTION_VERSION plus a hash of the extraction sources as installed."""
    return f"{EXTRACTION_VERSION}.{_source_digest()}"


@dataclass(frozen=True)
class StoreStats:
    path: Path | None  # None when results are only kept in memory
    bytes: int  # database plus its WAL files on disk (or memory in use)
    entries: int
    schema_version: int


class _OldSchema(Exception):
    """The file is a database, but not one this version of tui wrote."""


SHORT = 48  # names, keys, roles, sides: strings this short are shared by every result that holds them


def _shared(value: Any, memo: dict[str, str]) -> Any:
    """The decoded result with each repeated string held once: short ones
    across all results (the same names and roles recur in every article),
    longer ones (sentences, given as evidence by several records) within it.
    A result read back costs about half the memory it did."""
    if isinstance(value, str):
        return sys.intern(value) if len(value) <= SHORT else memo.setdefault(value, value)
    if isinstance(value, dict):
        return {k: _shared(v, memo) for k, v in value.items()}
    if isinstance(value, list):
        return [_shared(v, memo) for v in value]
    return value


def _is_locked(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _reason(exc: BaseException) -> str:
    return str(exc).strip() or type(exc).__name__


class ResultStore:
    """Per-document results in SQLite; safe to call from several threads.

    `path=None` keeps results in memory only (the fallback when the file
    cannot be used). Problems are recorded in `warnings`, never raised.
    """

    def __init__(
        self,
        path: Path | None,
        max_bytes: int = MAX_BYTES,
        max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self.warnings: list[str] = []
        self.extraction = extraction_fingerprint()
        self._clock = clock
        self._lock = threading.RLock()
        self._puts = 0
        self._conn: sqlite3.Connection | None = None
        with self._lock:
            self._open()

    # --- opening, rebuilding, falling back ------------------------------

    @property
    def in_memory(self) -> bool:
        return self.path is None

    def _warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def _where(self) -> str:
        return str(self.path) if self.path is not None else "result cache"

    def _connect(self, target: str) -> sqlite3.Connection:
        conn = sqlite3.connect(
            target, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False, isolation_level=None
        )
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        except sqlite3.Error:
            conn.close()
            raise
        return conn

    def _open(self) -> None:
        if self.path is None:
            self._open_memory()
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._fall_back(f"cannot create the cache folder ({exc.strerror or _reason(exc)})")
            return
        try:
            self._conn = self._connect(str(self.path))
            self._check_schema()
        except _OldSchema as exc:
            self._rebuild(str(exc))
        except sqlite3.Error as exc:
            if _is_locked(exc):
                self._fall_back("locked by another program")
            elif self._readonly(exc):
                self._fall_back(f"cannot write to it ({_reason(exc)})")
            else:
                self._rebuild(f"not a usable cache database ({_reason(exc)})")

    def _readonly(self, exc: sqlite3.Error) -> bool:
        text = str(exc).lower()
        return "readonly" in text or "read-only" in text or "unable to open" in text

    def _check_schema(self) -> None:
        """Use the file if it is ours and current; rebuild it if not."""
        conn = self._conn
        assert conn is not None
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        fresh = version == 0 and not tables
        if not fresh and (version != SCHEMA_VERSION or "results" not in tables):
            found = f"schema version {version}" if version else "not a tui cache file"
            raise _OldSchema(f"{found} (this tui uses schema version {SCHEMA_VERSION})")
        # WAL lets the dashboard read while `tui extract` writes. Where the file
        # system cannot do WAL, SQLite keeps its rollback journal, which is
        # slower under contention but just as correct.
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        if fresh:
            conn.executescript(_SCHEMA)
            return
        # Reading one row proves the pages are readable, not only the header.
        conn.execute("SELECT count(*) FROM (SELECT 1 FROM results LIMIT 1)").fetchone()

    def _rebuild(self, why: str) -> None:
        """Delete the file and start an empty one; fall back to memory if that fails."""
        assert self.path is not None
        self._close_conn()
        try:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        except OSError as exc:
            self._fall_back(f"{why}; cannot remove it ({exc.strerror or _reason(exc)})")
            return
        try:
            self._conn = self._connect(str(self.path))
            self._check_schema()
        except (sqlite3.Error, _OldSchema) as exc:
            self._close_conn()
            self._fall_back(f"{why}; cannot rebuild it ({_reason(exc)})")
            return
        self._warn(f"{self.path}: {why}; rebuilt it empty")

    def _fall_back(self, why: str) -> None:
        """Keep results in memory for this session; the file is left alone."""
        self._close_conn()
        self._warn(f"{self._where()}: {why}; results are kept in memory for this session only")
        self._open_memory()

    def _open_memory(self) -> None:
        self._conn = self._connect(":memory:")
        self._conn.executescript(_SCHEMA)
        self.path = None

    def _close_conn(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except sqlite3.Error:
                pass
            self._conn = None

    def _failed(self, exc: sqlite3.Error) -> None:
        """An operation on an open database failed: rebuild or fall back."""
        if self.path is None:  # memory: nothing better to fall back to
            self._warn(f"result cache: {_reason(exc)}")
            return
        if _is_locked(exc):
            self._fall_back("locked by another program")
        elif self._readonly(exc) or "full" in str(exc).lower():
            self._fall_back(f"cannot write to it ({_reason(exc)})")
        else:
            self._rebuild(f"damaged ({_reason(exc)})")

    # --- the cache itself -----------------------------------------------

    def get(self, content_hash: str, config_hash: str, pipeline_key: str) -> DocResult | None:
        key = (content_hash, config_hash, pipeline_key, self.extraction)
        with self._lock:
            try:
                row = self._db().execute(
                    "SELECT result, used FROM results WHERE content_hash = ? AND config_hash = ?"
                    " AND pipeline = ? AND extraction = ?",
                    key,
                ).fetchone()
            except sqlite3.Error as exc:
                self._failed(exc)
                return None
            if row is None:
                return None
            text, used = row
            try:
                result = DocResult.from_dict(_shared(json.loads(text), {}))
            except (ValueError, TypeError, KeyError, AttributeError):
                self._drop(key)
                return None
            now = self._clock()
            if now - used > TOUCH_AFTER_S:
                self._execute(
                    "UPDATE results SET used = ? WHERE content_hash = ? AND config_hash = ?"
                    " AND pipeline = ? AND extraction = ?",
                    (now, *key),
                )
            return result

    def put(
        self, content_hash: str, config_hash: str, pipeline_key: str, result: DocResult
    ) -> None:
        text = json.dumps(result.to_dict(), ensure_ascii=False, separators=(",", ":"))
        size = len(text.encode("utf-8"))
        with self._lock:
            self._execute(
                "INSERT OR REPLACE INTO results"
                " (content_hash, config_hash, pipeline, extraction, result, size, used)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (content_hash, config_hash, pipeline_key, self.extraction, text, size,
                 self._clock()),
            )
            self._puts += 1
            if self._puts % PRUNE_EVERY == 0:
                self.prune()

    def prune(self) -> int:
        """Drop least recently used entries past the size bounds; return how many."""
        with self._lock:
            try:
                conn = self._db()
                entries, total = conn.execute(
                    "SELECT count(*), coalesce(sum(size), 0) FROM results"
                ).fetchone()
                if entries <= self.max_entries and total <= self.max_bytes:
                    return 0
                # Go a tenth below the bounds so pruning does not run on every put.
                keep_entries = self.max_entries * 9 // 10
                keep_bytes = self.max_bytes * 9 // 10
                dropped = 0
                rows = conn.execute(
                    "SELECT rowid, size FROM results ORDER BY used, rowid"
                ).fetchall()
                doomed = []
                for rowid, size in rows:
                    if entries - dropped <= keep_entries and total <= keep_bytes:
                        break
                    doomed.append((rowid,))
                    dropped += 1
                    total -= size
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany("DELETE FROM results WHERE rowid = ?", doomed)
                conn.execute("COMMIT")
                return dropped
            except sqlite3.Error as exc:
                self._rollback()
                self._failed(exc)
                return 0

    def stats(self) -> StoreStats:
        with self._lock:
            try:
                conn = self._db()
                entries = conn.execute("SELECT count(*) FROM results").fetchone()[0]
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if self.path is None:
                    pages = conn.execute("PRAGMA page_count").fetchone()[0]
                    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
                    size = pages * page_size
                else:
                    size = 0
                    for suffix in ("", "-wal", "-shm"):
                        try:
                            size += Path(f"{self.path}{suffix}").stat().st_size
                        except OSError:
                            pass
            except sqlite3.Error as exc:
                self._failed(exc)
                return StoreStats(self.path, 0, 0, SCHEMA_VERSION)
            return StoreStats(self.path, size, entries, version)

    def clear(self) -> None:
        """Forget every entry and give the space back to the file system."""
        with self._lock:
            if self._execute("DELETE FROM results"):
                try:
                    self._db().execute("VACUUM")
                    self._db().execute("PRAGMA wal_checkpoint(TRUNCATE)")
                except sqlite3.Error:
                    pass  # another reader holds the file; the space is reused later

    def close(self) -> None:
        with self._lock:
            self._close_conn()

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- helpers ----------------------------------------------------------

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:  # closed: a later call opens the file again
            self._open()
        assert self._conn is not None
        return self._conn

    def _execute(self, sql: str, params: tuple = ()) -> bool:
        """Run one statement; after a rebuild or fall-back, try once more there."""
        for attempt in (1, 2):
            conn = self._db()
            try:
                conn.execute(sql, params)
                return True
            except sqlite3.Error as exc:
                self._rollback()
                self._failed(exc)
                if self._conn is conn or attempt == 2:
                    return False
        return False

    def _rollback(self) -> None:
        if self._conn is not None and self._conn.in_transaction:
            try:
                self._conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def _drop(self, key: tuple[str, str, str, str]) -> None:
        """An entry that no longer reads back is removed and extracted again."""
        self._warn(f"{self._where()}: an entry could not be read back; it is extracted again")
        self._execute(
            "DELETE FROM results WHERE content_hash = ? AND config_hash = ? AND pipeline = ?"
            " AND extraction = ?",
            key,
        )


def open_store(config_path: Path | None = None) -> ResultStore | None:
    """The result cache for the CLI and the dashboard.

    One database serves every config (the config hash is part of each key);
    `config_path` is accepted so callers need not know that.
    """
    return ResultStore(cache_dir() / DB_NAME)
