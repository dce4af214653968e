"""Config + seeds + cache + extraction -> Snapshot.

The one place that runs extraction. The CLI, the dashboard and the watcher
only call `Engine.refresh()`; it reads the config and the seeds folder,
re-extracts only the articles whose (content hash, config hash, pipeline)
is not cached, and aggregates everything into a Snapshot.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable, Collection
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Protocol

from tui.cluster import BatchLost, ClusterPool, ClusterUnavailable
from tui.config import Config, ConfigError, LoadedConfig, load_config
from tui.corpus import (
    RACY_NS,
    Article,
    Corpus,
    Listing,
    ReadMemo,
    _read_memoised,
    _skip,
    form_of,
    load_corpus,
    read_seed,
    scan_seeds,
    with_status,
)
from tui.extract import extract_document
from tui.extract.aggregate import Aggregator
from tui.extract.models import DocResult, Document, Snapshot
from tui.extract.pipeline import Pipeline, build_pipeline, model_key
from tui.listing import Entry, FolderIndex
from tui.picture import Picture, load_picture, picture_key, picture_path, save_picture
from tui.workers import BATCH, MIN_ARTICLES, WorkerPool, default_workers

Progress = Callable[[int, int, str], None]  # (done, total, what)


class ResultCache(Protocol):
    """Per-document results keyed by content hash, config hash and pipeline."""

    def get(self, content_hash: str, config_hash: str, pipeline_key: str) -> DocResult | None: ...

    def put(self, content_hash: str, config_hash: str, pipeline_key: str, result: DocResult) -> None: ...


# Bumped whenever reading or extraction changes what a cached result would
# hold, so results of an older tui are extracted again, not served.
EXTRACTION_VERSION = 6


def cache_id(article: Article) -> str:
    """The article part of a cache key: its bytes, its id and the extraction version.

    Records carry the article id, and a date may come from the file name, so
    a copied or renamed file with the same bytes is not the same entry.
    """
    return f"{article.document.content_hash}:{article.id}:v{EXTRACTION_VERSION}"


class Cancelled(Exception):
    """A newer refresh superseded this one."""


@dataclass(frozen=True)
class RefreshStats:
    extracted: int  # articles run through the pipeline this time
    cached: int  # articles served from the cache


class Engine:
    """Holds the pipeline between refreshes; rebuilds it when the config changes."""

    def __init__(
        self,
        config_path: Path,
        seeds_dir: Path | None = None,
        cache: ResultCache | None = None,
        workers: int | None = None,
        cluster: str | None = None,
    ) -> None:
        """`workers`: processes for articles not yet cached; None: `workers:` in
        the config, else one a core. `cluster`: the address of a Dask
        scheduler to extract on instead (None: `cluster:` in the config)."""
        self.config_path = Path(config_path)
        self.workers = workers
        self.cluster = cluster
        self.notes: list[str] = []  # one line each: what went wrong and what was done instead
        self.workers_used = 1  # processes the last extraction ran in
        self.worker_memory_kb = 0  # the largest resident size a worker reported
        self._pool: WorkerPool | ClusterPool | None = None
        self.seeds_override = Path(seeds_dir) if seeds_dir is not None else None
        self.cache = cache
        self.loaded: LoadedConfig | None = None
        self.pipeline: Pipeline | None = None
        self._pipeline_for: str | None = None
        self._lock = threading.Lock()
        self.extract_calls = 0  # documents run through the pipeline, for tests and benches
        self._read_memo: ReadMemo = {}  # files unchanged since the last refresh are not read again
        self._aggregator: Aggregator | None = None  # the last picture, for the next to start from
        self._index: FolderIndex | None = None  # the folder as the last refresh listed it
        # What a refresh of only the files the watcher named starts from (see `_refresh_changed`):
        # what it was built for (folder, config, pipeline), every article's place in corpus
        # order, every document as the picture has it.
        self._delta_for: tuple[Path, str, str] | None = None
        self._order = CorpusOrder()
        self._articles = 0  # articles listed (read or failed)
        self._moved: list[str] = []  # articles the last full listing found in another place
        self._docs: dict[str, Document] = {}
        self._light: set[str] = set()  # paths in the read memo whose articles are held without their text
        # article id -> (its content hash, its result) as the last refresh had them, for `_held_for`
        # (the config hash and pipeline they were extracted with)
        self._held: dict[str, tuple[str, DocResult]] = {}
        self._held_for: tuple[str, str] | None = None
        self.keep_picture = cache is not None  # show the last run's picture at start when nothing changed
        self.served_picture = False  # the last refresh showed the kept picture (no state built yet)
        # the last picture built (its key, when the folder was read), to keep at close
        self._picture: tuple[str, int, Snapshot] | None = None
        self._picture_kept = True
        self.last_stats = RefreshStats(0, 0)

    def _cluster_for(self, config: Config) -> str | None:
        return self.cluster or config.cluster

    def _workers_for(self, config: Config, articles: int) -> int:
        wanted = self.workers or config.workers or default_workers()
        pool = self._pool
        if pool is not None and self.loaded is not None and pool.config_hash == self.loaded.hash:
            # Running workers have their pipelines: even one article goes to them
            # rather than load spaCy in this process too.
            return pool.workers
        return min(wanted, max(1, articles // BATCH)) if articles >= MIN_ARTICLES else 1

    def _extract_in_workers(
        self,
        todo: list[Article],
        workers: int,
        results: dict[str, DocResult],
        progress: Progress | None,
        cancelled: Callable[[], bool] | None,
    ) -> dict[str, str]:
        """Extract `todo` in worker processes into `results`; the failures by id.

        A pool that breaks (a worker killed) costs no article: what it did not
        return is extracted here, in this process."""
        assert self.loaded is not None
        address = self._cluster_for(self.loaded.config)
        pool = self._pool
        if address is not None:
            if not isinstance(pool, ClusterPool) or pool.config_hash != self.loaded.hash or pool.address != address:
                self._stop_pool()
                if progress:
                    progress(0, 0, f"connecting to the cluster at {address}")
                try:
                    self._pool = ClusterPool(address, self.loaded.config, self.loaded.hash)
                except ClusterUnavailable as exc:
                    self._note(f"{exc}; extracting on this machine")
                    return self._extract_here(todo, results, progress, cancelled, 0, len(todo))
        elif not isinstance(pool, WorkerPool) or pool.config_hash != self.loaded.hash or pool.workers != workers:
            self._stop_pool()
            if progress:
                progress(0, 0, f"starting {workers} workers")
            self._pool = WorkerPool(self.loaded.config, self.loaded.hash, workers)
        assert self._pool is not None
        workers = self._pool.workers
        self.workers_used = workers
        total = len(todo)
        by_id = {a.id: a for a in todo}
        failed: dict[str, str] = {}
        done = 0
        if progress:
            progress(0, total, "extracting")
        try:
            for cache_key, (article_id, result, error) in self._pool.extract(todo, cancelled):
                done += 1
                if error is not None or result is None:
                    failed[article_id] = error or "extraction failed"
                else:
                    self.extract_calls += 1
                    results[article_id] = result
                    if self.cache is not None:
                        self.cache.put(cache_id(by_id[article_id]), self.loaded.hash, cache_key, result)
                if progress:
                    progress(done, total, article_id)
        except (BrokenProcessPool, BatchLost) as exc:
            if isinstance(exc, BatchLost):
                self._note(f"cluster: {exc}; extracting them on this machine")
            else:
                self._stop_pool()
            rest = [a for a in todo if a.id not in results and a.id not in failed]
            failed.update(self._extract_here(rest, results, progress, cancelled, done, total))
        self.worker_memory_kb = max(self.worker_memory_kb, self._pool.memory_kb if self._pool else 0)
        if cancelled is not None and cancelled():
            raise Cancelled()
        return failed

    def close(self, wait: bool = False) -> None:
        """Stop the worker processes, if any (`wait`: until they have exited),
        and keep the last picture for the next start."""
        if wait and isinstance(self._pool, WorkerPool):
            self._pool.close(wait=True)
            self._pool = None
        self._stop_pool()
        if self._picture is not None and not self._picture_kept and self.cache is not None and self._index is not None:
            self._picture_kept = True
            key, read_at, snapshot = self._picture
            picture = Picture(key, self._index.listing(), read_at, snapshot)
            problem = save_picture(self._picture_file(), picture)
            warnings = getattr(self.cache, "warnings", None)
            if problem and isinstance(warnings, list):
                warnings.append(problem)

    def _note(self, line: str) -> None:
        if line not in self.notes:
            self.notes.append(line)

    def _stop_pool(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    @property
    def seeds_dir(self) -> Path:
        if self.seeds_override is not None:
            return self.seeds_override
        if self.loaded is None:
            raise ConfigError(f"{self.config_path}: config not loaded")
        return self.loaded.seeds_dir

    def load_config(self) -> LoadedConfig:
        """Validate the config file; on error keep the last good one and raise."""
        loaded = load_config(self.config_path)
        self.loaded = loaded
        return loaded

    def _label_without_loading(self, model: str, key: str) -> tuple[str, str | None]:
        if self.pipeline is not None and self.loaded is not None and self._pipeline_for == self.loaded.hash:
            return self.pipeline.label, self.pipeline.degraded
        name, _, version = key.partition("@")
        if name == "rule-only":
            reason = f"{model} is not installed"
            return f"rule-only (no spaCy model: {reason})", reason
        return f"{name} {version}", None

    def use_pipeline(self, pipeline: Pipeline) -> None:
        """Take a pipeline already built from the loaded config (`tui doctor`
        builds one to check it), so it is not built twice."""
        if self.loaded is None:
            raise ConfigError(f"{self.config_path}: config not loaded")
        self.pipeline = pipeline
        self._pipeline_for = self.loaded.hash

    def ensure_pipeline(self, progress: Progress | None = None) -> Pipeline:
        assert self.loaded is not None
        if self.pipeline is None or self._pipeline_for != self.loaded.hash:
            if progress:
                progress(0, 0, f"loading pipeline {self.loaded.config.model}")
            self.pipeline = build_pipeline(self.loaded.config)
            self._pipeline_for = self.loaded.hash
        return self.pipeline

    def refresh(
        self,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        reload_config: bool = True,
        use_picture: bool = True,
        changed: Collection[str] | None = None,
    ) -> Snapshot:
        """Read config and seeds, extract what is new, aggregate.

        The first refresh of an engine with a cache shows the picture the last
        run kept when the seeds folder lists the same (`served_picture`; see
        tui/picture.py), and reads nothing else: call `prime` afterwards so the
        next change costs only what changed.

        `changed`: the files the watcher saw change since the last refresh;
        only those are looked at again (the rest of the folder's listing is
        the last one). None: the whole folder is listed.

        Raises ConfigError (bad config), FileNotFoundError (no seeds folder) or
        Cancelled. Only one refresh touches the pipeline at a time.
        """
        if reload_config or self.loaded is None:
            self.load_config()
        assert self.loaded is not None
        config = self.loaded.config
        with self._lock:
            # The cache is read before spaCy is loaded: an unchanged corpus needs none.
            key = (
                self.pipeline.cache_key
                if self.pipeline is not None and self._pipeline_for == self.loaded.hash
                else model_key(config.model)
            )
            if use_picture and self._aggregator is None and self.cache is not None and self.keep_picture:
                kept = self._kept_picture(config, key)
                if kept is not None:
                    return kept
            self.served_picture = False
            read_at = time.time_ns()
            listing = None
            index = self._index
            if changed is not None and index is not None and index.folder == self.seeds_dir:
                updates = index.changes(changed)
                if updates is not None:
                    aggregator = self._aggregator
                    same = self._delta_for == (self.seeds_dir, self.loaded.hash, key)
                    # (The config hash covers what extraction reads; the aggregator reads the rest.)
                    if same and aggregator is not None and aggregator.config == config:
                        return self._refresh_changed(config, key, updates, read_at, progress, cancelled)
                    index.apply(updates)
                    listing = index.listing()
            self._delta_for = None
            corpus = load_corpus(self.seeds_dir, self._read_memo, listing)
            if listing is None or index is None:
                index = FolderIndex(self.seeds_dir, corpus.listing)
            self._index = index
            self._place(corpus)
            results: dict[str, DocResult] = {}
            todo: list[Article] = []
            held = self._held if self._held_for == (self.loaded.hash, key) else {}
            self._held, self._held_for = {}, (self.loaded.hash, key)
            for article in corpus.articles:
                cached = None
                if self.cache is not None:
                    content = article.document.content_hash
                    last = held.get(article.id)
                    # The result the last refresh had for this very article needs no lookup.
                    if last is not None and last[0] == content:
                        cached = last[1]
                    else:
                        cached = self.cache.get(cache_id(article), self.loaded.hash, key)
                    if cached is not None:
                        self._held[article.id] = (content, cached)
                if cached is not None:
                    results[article.id] = cached
                else:
                    todo.append(article)
            todo = self._with_bodies(todo)
            total = len(todo)
            if not todo:
                self.last_stats = RefreshStats(extracted=0, cached=len(corpus.articles))
                label, degraded = self._label_without_loading(config.model, key)
                self._lighten(results)
                self._docs = {d.id: d for d in corpus.documents}
                snapshot = self._aggregate(config, corpus.documents, results, label, degraded)
                self._delta_for = (self.seeds_dir, self.loaded.hash, key)
                return self._keep(config, key, read_at, snapshot)
            workers = self._workers_for(config, total)
            if workers > 1 or self._cluster_for(config) is not None:
                failed = self._extract_in_workers(todo, workers, results, progress, cancelled)
                label, degraded = self._label_without_loading(config.model, key)
            else:
                self.workers_used = 1
                failed = self._extract_here(todo, results, progress, cancelled, 0, total)
                assert self.pipeline is not None
                label, degraded = self.pipeline.label, self.pipeline.degraded
            self.last_stats = RefreshStats(extracted=total, cached=len(corpus.articles) - total)
            if self.cache is not None:
                for article in todo:
                    if article.id in results:
                        self._held[article.id] = (article.document.content_hash, results[article.id])
            documents = [with_status(d, "skipped", failed[d.id]) if d.id in failed else d for d in corpus.documents]
            # In the corpus's order, however the results arrived (cache, workers): one picture
            in_order = {a.id: results[a.id] for a in corpus.articles if a.id in results}
            self._docs = {d.id: d for d in documents}
            snapshot = self._aggregate(config, documents, in_order, label, degraded)
            self._delta_for = (self.seeds_dir, self.loaded.hash, key)
            self._lighten(results)
            return self._keep(config, key, read_at, snapshot)

    def _place(self, corpus: Corpus) -> None:
        """After a full listing: every article's place in corpus order (and
        which articles changed places, for the aggregator)."""
        before = self._order
        self._order = CorpusOrder()
        cut = len(str(self.seeds_dir)) + 1
        for _, path, _, _ in corpus.listing:
            if path is not None:
                self._order.place(path, cut, self._read_memo[path][3])
        self._articles = len(corpus.articles)
        self._moved = self._order.moved_from(before)

    def _refresh_changed(
        self,
        config: Config,
        key: str,
        updates: dict[str, Entry | None],
        read_at: int,
        progress: Progress | None,
        cancelled: Callable[[], bool] | None,
    ) -> Snapshot:
        """A refresh of only the files the watcher named: they are read, their
        articles looked up or extracted, and the picture changed where they
        touch it. Nothing here walks the other articles; the picture equals
        a full refresh's (tests/test_delta_refresh.py). The engine's state
        changes only once everything is read and extracted, so a cancelled
        refresh leaves it as it was (the app hands the same files to the next)."""
        assert self.loaded is not None and self._index is not None and self._aggregator is not None
        cut = len(str(self.seeds_dir)) + 1
        now = time.time_ns()
        gone: set[str] = set()  # ids the files held before
        gone_articles = 0
        docs: list[Document] = []
        articles: list[Article] = []
        reads: list[tuple[str, list[Article | Document]]] = []
        for rel, entry in updates.items():
            before = self._index.entries.get(rel)
            old_path = before[1] if before is not None else None
            if before is not None and old_path is None:
                gone.add(rel)
            elif old_path is not None:
                was = self._read_memo.get(old_path, (0, 0, rel, []))[3]
                gone.update(r.id for r in was)
                gone_articles += sum(isinstance(r, Article) for r in was)
                if entry is None or entry[1] != old_path:
                    self._read_memo.pop(old_path, None)
                    self._light.discard(old_path)
            if entry is None:
                continue
            doc_id, path, reason, stamp = entry
            if path is None:
                docs.append(_skip(doc_id, reason or "skipped"))
                continue
            if path in self._light:  # held without its text: read again, in case it must be extracted
                self._light.discard(path)
                self._read_memo.pop(path, None)
            read = _read_memoised(path, doc_id, stamp, self._read_memo, now)
            reads.append((path, read))
            for r in read:
                if isinstance(r, Article):
                    articles.append(r)
                    docs.append(r.document)
                else:
                    docs.append(r)
        results: dict[str, DocResult] = {}
        held: dict[str, tuple[str, DocResult]] = {}
        todo: list[Article] = []
        for article in articles:
            content = article.document.content_hash
            last = self._held.get(article.id)
            cached = None
            if self.cache is not None:
                if last is not None and last[0] == content:
                    cached = last[1]
                else:
                    cached = self.cache.get(cache_id(article), self.loaded.hash, key)
            if cached is not None:
                results[article.id] = cached
                held[article.id] = (content, cached)
            else:
                todo.append(article)
        failed: dict[str, str] = {}
        label, degraded = self._label_without_loading(config.model, key)
        if todo:
            workers = self._workers_for(config, len(todo))
            if workers > 1 or self._cluster_for(config) is not None:
                failed = self._extract_in_workers(todo, workers, results, progress, cancelled)
            else:
                self.workers_used = 1
                failed = self._extract_here(todo, results, progress, cancelled, 0, len(todo))
                assert self.pipeline is not None
                label, degraded = self.pipeline.label, self.pipeline.degraded
            if self.cache is not None:
                for article in todo:
                    if article.id in results:
                        held[article.id] = (article.document.content_hash, results[article.id])
        if cancelled is not None and cancelled():
            raise Cancelled()
        # Everything is read: the state changes now.
        self._index.apply(updates)
        changes: dict[str, tuple[Document, DocResult | None] | None] = {}
        for doc_id in gone:
            self._docs.pop(doc_id, None)
            self._held.pop(doc_id, None)
            changes[doc_id] = None
        moved = []
        for path, read in reads:
            placed_before = {r.id: self._order[r.id] for r in read if r.id in gone}
            self._order.place(path, cut, read)
            moved += [doc_id for doc_id, place in placed_before.items() if self._order[doc_id] != place]
        self._articles += len(articles) - gone_articles
        self._held.update(held)
        for doc in docs:
            if doc.id in failed:
                doc = with_status(doc, "skipped", failed[doc.id])
            self._docs[doc.id] = doc
            changes[doc.id] = (doc, results.get(doc.id))
        self.last_stats = RefreshStats(extracted=len(todo), cached=self._articles - len(todo))
        try:
            snapshot = self._aggregator.apply(changes, self._order, label, degraded, moved=moved)
        except BaseException:
            self._aggregator = None  # half updated: the next picture starts afresh
            self._delta_for = None
            raise
        for doc_id in gone - self._docs.keys():  # their places stayed for the aggregator to find them by
            self._order.forget(doc_id)
        self._lighten(results, [e[1] for e in updates.values() if e is not None and e[1] is not None])
        return self._keep(config, key, read_at, snapshot)

    def _lighten(self, results: dict[str, DocResult], paths: Collection[str] | None = None) -> None:
        """Articles whose results are known keep their record, not their text:
        the text is read again only if they must be extracted again (a config
        change). 100,000 articles' bodies and layouts would hold gigabytes.
        `paths`: only these files were read again (None: any may have been)."""
        memo = self._read_memo
        for path in memo if paths is None else paths:
            entry = memo.get(path)
            if entry is None or path in self._light:
                continue
            size, mtime, doc_id, read = entry
            if all(not isinstance(r, Article) or r.id in results for r in read):
                light = [replace(r, body="", path=None) if isinstance(r, Article) else r for r in read]
                memo[path] = (size, mtime, doc_id, light)
                self._light.add(path)
        if paths is None:
            self._light.intersection_update(memo)

    def _with_bodies(self, todo: list[Article]) -> list[Article]:
        """`todo` with the text of every article that was lightened read again."""
        if all(a.body for a in todo):
            return todo
        out: list[Article] = []
        for article in todo:
            key = self._memo_path(article) if not article.body else None
            if key is None:
                out.append(article)
                continue
            size, mtime, doc_id, _ = self._read_memo[key]
            read = read_seed(Path(key), doc_id)
            self._read_memo[key] = (size, mtime, doc_id, read)
            self._light.discard(key)
            again = next((r for r in read if isinstance(r, Article) and r.id == article.id), None)
            if again is not None:
                out.append(again)
        return out

    def _memo_path(self, article: Article) -> str | None:
        """The file a lightened article was read from (held without its path
        too: a Path an article is a few hundred bytes): its listing line is its
        id, or, for a JSON Lines record, the id up to a '#'."""
        if self._index is None:
            return None
        doc_id = article.id
        cuts = [len(doc_id)] + [n for n in range(len(doc_id) - 1, 0, -1) if doc_id[n] == "#"]
        for cut in cuts:
            entry = self._index.entries.get(doc_id[:cut])
            if entry is not None and entry[1] in self._light:
                return entry[1]
        return None

    @property
    def state_built(self) -> bool:
        """The working state behind the picture is there: the next change costs only itself."""
        return self._aggregator is not None

    def prime(self, cancelled: Callable[[], bool] | None = None) -> Snapshot | None:
        """After a kept picture was shown: read the folder and the cached
        results, so that the next change costs only what changed. The picture
        as built now, or None when there was nothing to do."""
        if not self.served_picture:
            return None
        # spaCy is not loaded here: it is loaded when an article first needs
        # extracting (about 1.5 s then), and an archive that only grows by a
        # few articles a day keeps its memory (150 MB) until then.
        return self.refresh(cancelled=cancelled, reload_config=False, use_picture=False)

    def _picture_file(self) -> Path:
        from tui.store import cache_dir

        return picture_path(cache_dir(), self.seeds_dir)

    def _picture_key(self, config: Config, pipeline_key: str) -> str:
        today = date.today().isoformat() if config.relation.as_of == "today" else None
        return picture_key(config.model_dump_json(), pipeline_key, today)

    def _kept_picture(self, config: Config, pipeline_key: str) -> Snapshot | None:
        """The picture the last run kept, if the folder lists exactly as it did then."""
        picture = load_picture(self._picture_file())
        if picture is None or picture.key != self._picture_key(config, pipeline_key):
            return None
        if not self.seeds_dir.is_dir():
            return None
        listing = tuple(scan_seeds(self.seeds_dir))
        if listing != picture.listing or not self._unchanged_within_resolution(listing, picture):
            return None
        self.served_picture = True
        ok = sum(1 for d in picture.snapshot.documents if d.status == "ok")
        self.last_stats = RefreshStats(extracted=0, cached=ok)
        return picture.snapshot

    @staticmethod
    def _unchanged_within_resolution(listing: Listing, picture: Picture) -> bool:
        """A file written within the clock's resolution of the listing could
        change again and keep its stamp: such files (the last ones to arrive
        before the picture) are compared by their bytes."""
        hashes = {d.id: d.content_hash for d in picture.snapshot.documents}
        for doc_id, path, _, stamp in listing:
            if path is None or stamp[1] <= picture.read_at - RACY_NS:
                continue
            if form_of(path) == "jsonl" or not hashes.get(doc_id):
                return False
            try:
                with open(path, "rb") as fh:
                    raw = fh.read()
            except OSError:
                return False
            if hashlib.sha256(raw).hexdigest()[:20] != hashes[doc_id]:
                return False
        return True

    def _keep(self, config: Config, pipeline_key: str, read_at: int, snapshot: Snapshot) -> Snapshot:
        """Remember the picture, to be kept at close for the next start (with
        the folder's listing, which is put in order only then)."""
        if self.cache is not None and self.keep_picture:
            self._picture = (self._picture_key(config, pipeline_key), read_at, snapshot)
            self._picture_kept = False
        return snapshot

    def _aggregate(
        self,
        config: Config,
        documents: tuple[Document, ...] | list[Document],
        results: dict[str, DocResult],
        label: str,
        degraded: str | None,
    ) -> Snapshot:
        """The picture, rebuilt where the articles changed since the last one
        (from scratch when the config did)."""
        if self._aggregator is None or self._aggregator.config != config:
            self._aggregator = Aggregator(config)
        try:
            return self._aggregator.update(documents, results, label, degraded, order=self._order, moved=self._moved)
        except BaseException:
            self._aggregator = None  # half updated: the next picture starts afresh
            raise

    def _extract_here(
        self,
        todo: list[Article],
        results: dict[str, DocResult],
        progress: Progress | None,
        cancelled: Callable[[], bool] | None,
        before: int,
        total: int,
    ) -> dict[str, str]:
        """Extract `todo` in this process into `results`; the failures by id.
        `before`: articles already done (by workers), for the progress count."""
        assert self.loaded is not None
        config = self.loaded.config
        pipeline = self.ensure_pipeline(progress)
        if progress:
            progress(before, total, "extracting")
        from tui.extract.sents import set_layout

        texts = ((set_layout(pipeline.nlp.make_doc(a.layout.text), a.layout), a) for a in todo)
        failed: dict[str, str] = {}
        with pipeline.lock:
            parsed = pipeline.nlp.pipe(texts, as_tuples=True, batch_size=16)
            for done, (doc, article) in enumerate(parsed, start=before + 1):
                if cancelled is not None and cancelled():
                    raise Cancelled()
                try:
                    result = extract_document(doc, article, config, pipeline)
                except Exception as exc:  # one bad article must not cost the others
                    failed[article.id] = f"extraction failed ({type(exc).__name__}: {str(exc)[:80]})"
                    continue
                self.extract_calls += 1
                results[article.id] = result
                if self.cache is not None:
                    self.cache.put(cache_id(article), self.loaded.hash, pipeline.cache_key, result)
                if progress:
                    progress(done, total, article.id)
        return failed


class CorpusOrder:
    """Every article's place in corpus order, as a sort key: its file's path
    below the folder (folders before the names of their files, as a scan
    meets them) and its line in the file. Worked out from the id for an
    article that is a whole file named plainly (most of them); held for the
    others (JSON Lines records, names shown escaped)."""

    def __init__(self) -> None:
        self._held: dict[str, tuple[str, int]] = {}

    def __getitem__(self, doc_id: str) -> tuple[str, int]:
        held = self._held.get(doc_id)
        return held if held is not None else (doc_id.replace("/", "\0"), 0)

    def place(self, path: str, cut: int, read: list[Article | Document]) -> None:
        """The articles read from the file at `path` (`cut`: the length of the folder's own path and a separator)."""
        where = path[cut:].replace(os.sep, "\0")
        for n, r in enumerate(read):
            if isinstance(r, Article):
                if n or where != r.id.replace("/", "\0"):
                    self._held[r.id] = (where, n)
                else:
                    self._held.pop(r.id, None)

    def forget(self, doc_id: str) -> None:
        self._held.pop(doc_id, None)

    def moved_from(self, before: CorpusOrder) -> list[str]:
        """The articles held in both whose places differ (only held ones can move: a
        plain file's place is its name)."""
        return [k for k, place in self._held.items() if before._held.get(k, place) != place]
