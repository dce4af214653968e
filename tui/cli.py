"""Command line: `tui` (dashboard), `tui extract`, `tui doctor`, `tui fetch`.

Errors a user can act on are one line on stderr with a non-zero exit status,
never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tui import __version__
from tui.config import ConfigError, default_config_path

EXIT_BAD_INPUT = 2


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        metavar="FILE",
        help="config file (default: $TUI_CONFIG or ./config.yaml)",
    )
    parser.add_argument(
        "--seeds",
        type=Path,
        default=None,
        metavar="DIR",
        help="seeds folder (default: 'seeds' from the config, relative to it)",
    )
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the result cache")
    parser.add_argument(
        "--workers",
        type=_positive,
        default=None,
        metavar="N",
        help="processes extracting articles not yet cached (default: workers: in the config, else one a core)",
    )
    parser.add_argument(
        "--cluster",
        default=None,
        metavar="ADDRESS",
        help="extract on the Dask cluster whose scheduler is at ADDRESS, e.g. tcp://10.0.0.5:8786 "
        "(default: cluster: in the config; needs the cluster extra)",
    )


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 256:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of workers from 1 to 256")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tui",
        description="A terminal dashboard for relations between countries, filled from news articles.",
        epilog="Without a command, opens the dashboard. Keys: press ? inside it.",
    )
    parser.add_argument("--version", action="version", version=f"tui {__version__}")
    _add_common(parser)
    parser.add_argument("--no-watch", action="store_true", help="do not reload when seeds or config change")
    parser.add_argument("--no-feeds", action="store_true", help="do not poll the config's feeds")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    dash = sub.add_parser("dashboard", help="open the dashboard (the default)")
    _add_common(dash)
    dash.add_argument("--no-watch", action="store_true", help="do not reload when seeds or config change")
    dash.add_argument("--no-feeds", action="store_true", help="do not poll the config's feeds")

    ext = sub.add_parser(
        "extract",
        help="print what the panes show, as text or JSON",
        description="Extract actors, engagements, issues and quotes from the seeds and print them.",
    )
    _add_common(ext)
    ext.add_argument("--json", action="store_true", help="print one JSON object (the headless contract)")
    ext.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
    ext.add_argument(
        "--suggest",
        action="store_true",
        help="print the watchlist inbox (actors often mentioned but not on the watchlist, then issues raised "
        "in several articles that no issue pattern matches) instead of the "
        "summary; with --json, add it as a 'suggestions' field",
    )

    init = sub.add_parser(
        "init",
        help="write a commented config.yaml for a new relation",
        description="Write a config.yaml for the relation between two (or more) countries: the parties with "
        "their aliases (adjective, demonym, capital), default cue words and verbs, an empty watchlist and "
        "issue list with examples, and a seeds folder. An existing config is never overwritten.",
        epilog='Example: tui init "India" "Pakistan" --seeds articles',
    )
    init.add_argument("parties", nargs="+", metavar="COUNTRY", help='a country, e.g. "India", "US", "Britain"')
    init.add_argument(
        "--config", type=Path, default=None, metavar="FILE",
        help="where to write (default: $TUI_CONFIG or ./config.yaml)",
    )
    init.add_argument(
        "--seeds", type=Path, default=None, metavar="DIR",
        help="the seeds folder to make (default: seeds beside the config)",
    )

    doc = sub.add_parser(
        "doctor",
        help="check config, pipeline, seeds and cache; say what is wrong and how to fix it",
        description="Check config, spaCy pipeline, seeds and cache. Exit status 1 when something is wrong.",
    )
    _add_common(doc)

    fetch = sub.add_parser(
        "fetch",
        help="poll every feed in the config once and write new articles into the seeds folder (for cron)",
        description="Poll every feed of `feeds:` once (conditional requests; feeds backing off after "
        "failures are left alone unless --force) and write each new article into <seeds>/feeds/. "
        "One line a feed; exit status 1 when a feed failed.",
    )
    fetch.add_argument(
        "--config", type=Path, default=None, metavar="FILE", help="config file (default: $TUI_CONFIG or ./config.yaml)"
    )
    fetch.add_argument(
        "--seeds", type=Path, default=None, metavar="DIR", help="seeds folder (default: 'seeds' from the config)"
    )
    fetch.add_argument("--force", action="store_true", help="poll feeds that are backing off after failures too")
    return parser


def make_cache(args: argparse.Namespace, config_path: Path):
    """The result cache, or None when disabled or unavailable."""
    if getattr(args, "no_cache", False):
        return None
    try:
        from tui.store import open_store
    except ImportError:
        return None
    return open_store(config_path)


def _config_path(args: argparse.Namespace) -> Path:
    return args.config if args.config is not None else default_config_path()


def run_extract(args: argparse.Namespace) -> int:
    from tui.engine import Engine

    config_path = _config_path(args)
    engine = Engine(config_path, seeds_dir=args.seeds, workers=args.workers, cluster=args.cluster)
    try:
        engine.load_config()
    except ConfigError as exc:
        print(f"tui: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not engine.seeds_dir.is_dir():
        print(f"tui: {engine.seeds_dir}: seeds folder not found", file=sys.stderr)
        return EXIT_BAD_INPUT
    engine.cache = make_cache(args, config_path)
    engine.keep_picture = engine.cache is not None  # the next start shows what this run ends on

    def progress(done: int, total: int, what: str) -> None:
        if args.quiet:
            return
        if total:
            print(f"\r[{done}/{total}] {what[:60]:<60}", end="", file=sys.stderr, flush=True)
        else:
            print(f"{what}...", file=sys.stderr, flush=True)

    try:
        snapshot = engine.refresh(progress=progress, reload_config=False)
    except FileNotFoundError as exc:
        print(f"tui: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        engine.close()
    if not args.quiet and engine.last_stats.extracted:
        print(file=sys.stderr)
    for w in [*snapshot.warnings, *engine.notes, *getattr(engine.cache, "warnings", ())]:
        print(f"tui: warning: {w}", file=sys.stderr)
    suggestions = None
    issue_inbox: list = []  # IssueSuggestion
    if args.suggest:
        from tui.inbox import Dismissed, actor_suggestions, dismissed_path, issue_suggestions

        dismissed = Dismissed.load(dismissed_path(config_path))
        if dismissed.warning:
            print(f"tui: warning: {dismissed.warning}", file=sys.stderr)
        config = engine.loaded.config if engine.loaded is not None else None
        suggestions = actor_suggestions(snapshot, config, dismissed.keys)
        issue_inbox = issue_suggestions(snapshot, config, dismissed.keys)
    if args.json:
        data = snapshot.to_json()
        if suggestions is not None:
            data["suggestions"] = {
                "actors": [s.to_json() for s in suggestions],
                "issues": [s.to_json() for s in issue_inbox],
            }
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif suggestions is not None:
        from tui.inbox import text_inbox, text_issue_inbox

        sys.stdout.write(text_inbox(suggestions) + "\n" + text_issue_inbox(issue_inbox))
    else:
        from tui.summary import text_summary

        sys.stdout.write(text_summary(snapshot))
    return 0


def run_init(args: argparse.Namespace) -> int:
    from tui.scaffold import InitError, init_relation

    try:
        config_path, seeds = init_relation(args.parties, _config_path(args), args.seeds)
    except InitError as exc:
        print(f"tui: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"Wrote {config_path}; articles go in {seeds}/. Then run: tui --config {config_path}")
    return 0


def run_doctor(args: argparse.Namespace) -> int:
    from tui.doctor import doctor

    return doctor(_config_path(args), seeds=args.seeds, use_cache=not args.no_cache, workers=args.workers)


def run_fetch(args: argparse.Namespace) -> int:
    from tui.config import load_config
    from tui.feeds import Poller, state_path

    config_path = _config_path(args)
    try:
        loaded = load_config(config_path)
    except ConfigError as exc:
        print(f"tui: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    feeds = loaded.config.feeds
    if not feeds:
        print(f"tui: {config_path}: no feeds: to poll; add a 'feeds:' list of feed addresses", file=sys.stderr)
        return EXIT_BAD_INPUT
    seeds = args.seeds if args.seeds is not None else loaded.seeds_dir
    poller = Poller(feeds, seeds, state_path(config_path))
    warned = poller.warning
    if warned:
        print(f"tui: warning: {warned}", file=sys.stderr)
    try:
        reports = poller.poll(feeds, force=args.force)
    finally:
        poller.close()
    for report in reports:
        print(report.line, flush=True)
    if poller.warning and poller.warning != warned:
        print(f"tui: warning: {poller.warning}", file=sys.stderr)
    written = sum(len(r.written) for r in reports)
    if written:
        print(f"tui: {written} new article{'s' if written != 1 else ''} in {seeds}/feeds", file=sys.stderr)
    return 1 if any(r.polled and not r.ok for r in reports) else 0


def run_dashboard(args: argparse.Namespace) -> int:
    from tui.config import load_config

    config_path = _config_path(args)
    try:
        from tui.ui.app import run_app
    except ImportError as exc:  # pragma: no cover - only in a broken install
        print(f"tui: the dashboard cannot start: {exc}", file=sys.stderr)
        return 1
    if not config_path.exists():
        # The app shows config errors itself; a missing file is clearer here.
        try:
            load_config(config_path)
        except ConfigError as exc:
            print(f"tui: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
    return run_app(
        config_path=config_path,
        seeds=args.seeds,
        watch=not args.no_watch,
        use_cache=not args.no_cache,
        workers=args.workers,
        cluster=args.cluster,
        feeds=not args.no_feeds,
    )


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "extract":
            return run_extract(args)
        if args.command == "init":
            return run_init(args)
        if args.command == "doctor":
            return run_doctor(args)
        if args.command == "fetch":
            return run_fetch(args)
        return run_dashboard(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
