"""Hostile seeds folders: generated files beside one good article.

Every file put in the folder is accounted for (read, or skipped with a
reason), nothing crashes, and what the panes show from the good article does
not change. Seeds are fixed (`derandomize=True`).
"""

from __future__ import annotations

import io
import json
import os
import shutil
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tui.corpus as corpus
from tui.cli import main
from tui.corpus import MAX_BYTES, MAX_CHARS, load_corpus, read_article
from tui.engine import Engine

CONFIG = """\
relation:
  name: Freedonia - Sylvania
model: en_core_web_sm
seeds: seeds
parties:
  - name: Freedonia
    aliases: [Freedonian]
  - name: Sylvania
    aliases: [Sylvanian]
actors:
  - name: Ana Ruiz
    aliases: [Ruiz]
    role: Foreign Minister
    side: Freedonia
  - name: Otto Brandt
    aliases: [Brandt]
    role: Trade Minister
    side: Sylvania
issues:
  - id: tariffs
    label: Steel tariffs
    patterns: [tariffs, steel tariffs]
engagements:
  cues: [meet, visit, talks]
quotes:
  verbs: [say, tell]
"""

GOOD_NAME = "2024-03-04-lisbon.md"
GOOD = """\
---
title: Ministers meet in Lisbon
date: 2024-03-04
---
Freedonian Foreign Minister Ana Ruiz met Sylvanian Trade Minister Otto Brandt in Lisbon on Monday.

"We will not accept new tariffs on our steel," Ruiz told reporters after the meeting.

Brandt said the two sides would visit Madrid next week for talks on the tariffs.
"""

SETTINGS = settings(
    derandomize=True,
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                           HealthCheck.data_too_large],
)


# --- what the panes show from one document ----------------------------------


def panes_of(snapshot_json: dict[str, Any], doc: str) -> dict[str, Any]:
    """The rows a document contributes to the four panes, with their evidence."""

    def ev(items: list[dict]) -> list[dict]:
        return [e for e in items if e["doc"] == doc]

    return {
        "actors": sorted(
            (a["name"], a["kind"], a["role"], a["side"], json.dumps(ev(a["evidence"])))
            for a in snapshot_json["actors"] if doc in a["docs"]
        ),
        "engagements": sorted(
            (e["participants"], e["what"], e["where"], e["when"], e["status"],
             json.dumps(ev(e["evidence"])))
            for e in snapshot_json["engagements"] if ev(e["evidence"])
        ),
        "issues": sorted(
            (i["id"], i["label"], json.dumps(ev(i["evidence"])))
            for i in snapshot_json["issues"] if doc in i["docs"]
        ),
        "quotes": [q for q in snapshot_json["quotes"] if q["doc"] == doc],
    }


@pytest.fixture(scope="module")
def relation(tmp_path_factory):
    root = tmp_path_factory.mktemp("relation")
    (root / "config.yaml").write_text(CONFIG, encoding="utf-8")
    seeds = root / "seeds"
    seeds.mkdir()
    (seeds / GOOD_NAME).write_text(GOOD, encoding="utf-8")
    engine = Engine(root / "config.yaml", seeds_dir=seeds)
    baseline = panes_of(engine.refresh().to_json(), GOOD_NAME)
    assert baseline["quotes"] and baseline["actors"], "the good article must fill the panes"
    return root, engine, baseline


# --- generated hostile files -------------------------------------------------

NAME_PARTS = st.sampled_from([
    "note", "with space", "new\nline", "Пекин", "北京 会谈", "مرحبا", "ελληνικά", "tab\there",
    "esc\x1b[31mred", "[bold]markup[@click=app.quit]", "émigré", "a" * 120, "-dash", "#hash", "x:y",
])
SUFFIXES = st.sampled_from([".txt", ".md", ".TXT", ".markdown", ".pdf", ".jpg", "", ".txt.bak"])


# Nine nested YAML aliases: a few lines that expand to 9**9 strings if walked.
ALIAS_BOMB = "x0: &a0 [l, l, l, l, l, l, l, l, l]\n" + "".join(
    f"x{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 9))


@dataclass
class Planted:
    """Files put in the folder: their expected ids and what is known of each."""

    ids: dict[str, str] = field(default_factory=dict)  # id -> kind
    unreadable: set[str] = field(default_factory=set)


def _text(draw) -> str:
    # Control characters come in through the "markup" and "nul" kinds.
    return draw(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                        max_size=300)) + " plain words"


@st.composite
def hostile_file(draw) -> tuple[str, bytes]:
    kind = draw(st.sampled_from([
        "random", "invalid_utf8", "utf16", "nul", "empty", "blank", "big", "long", "markup",
        "front_matter", "text",
    ]))
    text = _text(draw)
    if kind == "random":
        data = draw(st.binary(max_size=3000))
    elif kind == "invalid_utf8":
        bad = draw(st.sampled_from([b"\xff", b"\xc3(", b"\xed\xa0\x80", b"\x80\x80"]))
        data = text.encode() + bad + text.encode()
    elif kind == "utf16":
        data = ("\ufeff" + text).encode(draw(st.sampled_from(["utf-16-le", "utf-16-be"])))
    elif kind == "nul":
        data = text.encode() + b"\x00" + text.encode()
    elif kind == "empty":
        data = b""
    elif kind == "blank":
        data = b" \n\t\r\n" * draw(st.integers(1, 50))
    elif kind == "big":
        data = b"BIG"  # written as MAX_BYTES + 1 bytes by plant()
    elif kind == "long":
        data = b"LONG"  # written as MAX_CHARS + 1 characters by plant()
    elif kind == "markup":
        data = ('---\ntitle: "[@click=app.quit]x[/] \\e[2J"\n---\n[bold]' + text +
                '[/bold] \x1b]0;title\x07 "[link=file:///etc]quoted words[/link]," a man said.\n'
                ).encode()
    elif kind == "front_matter":
        data = ("---\n" + draw(st.sampled_from(["title: [unclosed", "- a list", "date: 99-99-99",
                                                 "!!python/object/apply:os.system ['true']",
                                                 ALIAS_BOMB + "title: *a8\ndate: *a8",
                                                 "title: " + "[" * 5000 + "]" * 5000]))
                + "\n---\n" + text).encode()
    else:
        data = text.encode()
    return kind, data


def plant(folder: Path, draw_files: list[tuple[str, tuple[str, bytes]]], extras: list[str],
          planted: Planted) -> None:
    for i, (name, (kind, data)) in enumerate(draw_files):
        sub = folder
        if i % 3 == 2:
            sub = folder / "deeper" / f"level {i}"
            sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"{i:02d} {name}"
        if kind == "big":
            data = b"word " * ((MAX_BYTES // 5) + 1)
        elif kind == "long":
            data = ("Words, " * (MAX_CHARS // 7 + 1)).encode()
        path.write_bytes(data)
        rel = path.relative_to(folder).as_posix()
        planted.ids[corpus._printable(rel)] = kind
    for extra in extras:
        if extra == "loop":
            (folder / "loop").symlink_to(".", target_is_directory=True)
            planted.ids["loop"] = "loop"
        elif extra == "file_loop":
            (folder / "a.txt").symlink_to("b.txt")
            (folder / "b.txt").symlink_to("a.txt")
            planted.ids.update({"a.txt": "loop", "b.txt": "loop"})
        elif extra == "dangling":
            (folder / "gone.txt").symlink_to("nowhere.txt")
            planted.ids["gone.txt"] = "loop"
        elif extra == "deep":
            deep = folder
            for level in range(corpus.MAX_DEPTH + 3):
                deep = deep / f"d{level}"
            deep.mkdir(parents=True)
            (deep / "bottom.txt").write_text("Too deep to be read.")
            # Reported once, at the first folder past the limit.
            planted.ids["/".join(f"d{level}" for level in range(corpus.MAX_DEPTH + 1))] = "deep"
        elif extra == "hidden":
            (folder / ".DS_Store").write_bytes(b"\x00\x01")
            (folder / "draft.txt~").write_text("old")
            (folder / ".git").mkdir()
            (folder / ".git" / "HEAD").write_text("ref")
            planted.ids.update({".DS_Store": "hidden", "draft.txt~": "hidden", ".git": "hidden"})
        elif extra == "unreadable":
            (folder / "secret.txt").write_text("Words nobody may read.")
            planted.ids["secret.txt"] = "unreadable"
            planted.unreadable.add(str(folder / "secret.txt"))
        elif extra == "fifo":
            os.mkfifo(folder / "pipe.txt")
            planted.ids["pipe.txt"] = "fifo"
        elif extra == "device":
            (folder / "zero.txt").symlink_to("/dev/zero")
            planted.ids["zero.txt"] = "fifo"


def deny_reading(monkeypatch, paths: set[str]) -> None:
    """Tests run as root, where chmod 000 does not stop a read: make open()
    of the chosen files fail the way it does for an ordinary user."""
    real_open = Path.open

    def fake_open(self, *args, **kwargs):
        if str(self) in paths:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", fake_open)


def check_accounted(folder: Path, planted: Planted, documents) -> None:
    ids = [d.id for d in documents]
    assert len(ids) == len(set(ids)), "a file listed twice"
    assert set(ids) == set(planted.ids), (
        f"missing: {set(planted.ids) - set(ids)}; unexpected: {set(ids) - set(planted.ids)}"
    )
    for doc in documents:
        kind = planted.ids[doc.id]
        assert doc.status in ("ok", "skipped")
        if doc.status == "skipped":
            assert doc.reason and doc.reason.strip(), doc
        if kind in ("empty", "blank", "big", "long", "loop", "deep", "hidden", "unreadable",
                    "fifo"):
            assert doc.status == "skipped", (kind, doc)
        if kind in ("utf16", "nul", "invalid_utf8", "markup") and doc.id.endswith((".txt", ".md")):
            assert doc.status == "ok", (kind, doc)
        assert "\n" not in doc.id and "\x1b" not in doc.id


@SETTINGS
@given(
    files=st.lists(st.tuples(NAME_PARTS.flatmap(lambda n: SUFFIXES.map(lambda s: n + s)),
                             hostile_file()), max_size=6),
    extras=st.lists(st.sampled_from(["loop", "file_loop", "dangling", "hidden", "unreadable",
                                     "fifo", "device"]), unique=True, max_size=3),
)
def test_every_file_is_read_or_skipped_and_good_panes_unchanged(
    relation, monkeypatch, files, extras
) -> None:
    root, engine, baseline = relation
    folder = root / "hostile"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    shutil.copy(root / "seeds" / GOOD_NAME, folder / GOOD_NAME)
    planted = Planted(ids={GOOD_NAME: "good"})
    plant(folder, files, extras, planted)
    with monkeypatch.context() as patch:
        deny_reading(patch, planted.unreadable)
        loaded = load_corpus(folder)
        check_accounted(folder, planted, loaded.documents)
        engine.seeds_override = folder
        snapshot = engine.refresh(reload_config=False).to_json()
    assert [d["id"] for d in snapshot["documents"]] == [d.id for d in loaded.documents]
    assert panes_of(snapshot, GOOD_NAME) == baseline


def test_everything_at_once_through_tui_extract_json(relation, monkeypatch) -> None:
    """One folder with every kind of bad file, a 50 MB one-line file and
    a folder nested past the limit, read by the real command."""
    root, _engine, baseline = relation
    folder = root / "all"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    shutil.copy(root / "seeds" / GOOD_NAME, folder / GOOD_NAME)
    planted = Planted(ids={GOOD_NAME: "good"})
    samples = [
        ("random.txt", ("random", os.urandom(2000))),
        ("bad utf8.txt", ("invalid_utf8", b"caf\xe9 au lait, said nobody.")),
        ("utf16.txt", ("utf16", "\ufeffThe minister spoke.".encode("utf-16-le"))),
        ("nul.txt", ("nul", b"One half.\x00The other half.")),
        ("empty.txt", ("empty", b"")),
        ("long.txt", ("long", b"")),
        ("Пекин 北京.md", ("text", "Talks in Beijing, in Russian and Chinese names.".encode())),
        ("new\nline.txt", ("text", b"A name with a newline.")),
    ]
    plant(folder, samples, ["loop", "file_loop", "deep", "hidden", "unreadable", "fifo"], planted)
    with (folder / "huge line.txt").open("wb") as fh:
        for _ in range(50):
            fh.write(b"x" * (1024 * 1024))
    planted.ids["huge line.txt"] = "big"
    (root / "all.yaml").write_text(CONFIG.replace("seeds: seeds", "seeds: all"), encoding="utf-8")

    out, err = io.StringIO(), io.StringIO()
    with monkeypatch.context() as patch:
        deny_reading(patch, planted.unreadable)
        with redirect_stdout(out), redirect_stderr(err):
            rc = main(["extract", "--json", "--no-cache", "-q", "--config", str(root / "all.yaml")])
    assert rc == 0, err.getvalue()
    data = json.loads(out.getvalue())
    docs = {d["id"]: d for d in data["documents"]}
    assert set(docs) == set(planted.ids)
    assert len(data["documents"]) == len(planted.ids)
    assert all(d["reason"] for d in docs.values() if d["status"] == "skipped")
    named = {d.rsplit("/", 1)[-1].removeprefix(f"{i:02d} "): doc
             for i in range(len(samples)) for d, doc in docs.items()
             if d.rsplit("/", 1)[-1].startswith(f"{i:02d} ")}
    assert docs["huge line.txt"]["reason"].startswith("too large")
    assert named["long.txt"]["reason"] == f"too long (200,004 characters; limit {MAX_CHARS:,})"
    assert docs["secret.txt"]["reason"] == "permission denied"
    assert docs["loop"]["reason"].startswith("folder link loops")
    assert all(named[name]["status"] == "ok" for name in (
        "Пекин 北京.md", "new\\nline.txt", "nul.txt", "utf16.txt", "bad utf8.txt"))
    assert named["empty.txt"]["reason"] == "empty file"
    assert panes_of(data, GOOD_NAME) == baseline


def test_five_thousand_small_files(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    for i in range(5000):
        sub = seeds / f"batch {i // 500}"
        if i % 500 == 0:
            sub.mkdir(parents=True)
        suffix = (".txt", ".md", ".csv", ".txt")[i % 4]
        body = "" if i % 7 == 0 else f"Note {i}: nothing happened today."
        (sub / f"note {i}{suffix}").write_text(body)
    loaded = load_corpus(seeds)
    assert len(loaded.documents) == 5000
    assert len({d.id for d in loaded.documents}) == 5000
    ok = [d for d in loaded.documents if d.status == "ok"]
    skipped = [d for d in loaded.documents if d.status == "skipped"]
    assert len(ok) == len(loaded.articles)
    expected_skipped = {i for i in range(5000) if i % 4 == 2 or i % 7 == 0}
    assert len(skipped) == len(expected_skipped)
    assert {d.reason for d in skipped} == {"not an article (.txt, .md, .html or .jsonl)", "empty file"}
    # The same count through the real command (a rule-only pipeline keeps it quick).
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG.replace("model: en_core_web_sm", "model: tui_test_no_such_model"))
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        rc = main(["extract", "--json", "--no-cache", "-q", "--config", str(config)])
    assert rc == 0
    data = json.loads(out.getvalue())
    assert len(data["documents"]) == 5000
    assert sum(d["status"] == "ok" for d in data["documents"]) == 5000 - len(expected_skipped)
    assert "rule-only" in err.getvalue()


# --- files that change under the reader ---------------------------------------


@pytest.mark.parametrize("change", ["deleted", "truncated", "emptied", "grown"])
def test_file_changing_while_read(relation, monkeypatch, change) -> None:
    """The file changes between the size check and the read (and again on the
    second look): it is skipped with a reason or read whole, never half."""
    root, engine, baseline = relation
    folder = root / f"changing-{change}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    shutil.copy(root / "seeds" / GOOD_NAME, folder / GOOD_NAME)
    victim = folder / "2024-03-05-victim.txt"
    victim.write_text("Ruiz said the talks would continue. " * 50)
    real_open = Path.open

    def open_after_change(self, *args, **kwargs):
        if self == victim and self.exists():
            size = self.stat().st_size
            if change == "deleted":
                self.unlink()
            elif change == "truncated":
                os.truncate(self, size // 2)
            elif change == "emptied":
                os.truncate(self, 0)
            else:
                with real_open(self, "ab") as fh:
                    fh.write(b" More words.")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_after_change)
    loaded = load_corpus(folder)
    doc = {d.id: d for d in loaded.documents}["2024-03-05-victim.txt"]
    assert doc.status == "skipped"
    assert doc.reason == {
        "deleted": "file vanished while being read",
        "emptied": "empty file",
    }.get(change, "file changed while being read; read again on its next change")
    engine.seeds_override = folder
    assert panes_of(engine.refresh(reload_config=False).to_json(), GOOD_NAME) == baseline


def test_file_changed_once_is_read_whole(tmp_path: Path, monkeypatch) -> None:
    """An editor finishing its write as we read: the second look reads it all."""
    path = tmp_path / "article.txt"
    path.write_text("First half.")
    real_open = Path.open
    calls = []

    def open_once_changed(self, *args, **kwargs):
        if self == path and not calls:
            calls.append(1)
            handle = real_open(self, *args, **kwargs)
            path.write_text("First half. Second half.")
            return handle
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_once_changed)
    result = read_article(path, "article.txt")
    assert result.body == "First half. Second half."


def test_file_vanishing_between_listing_and_reading(tmp_path: Path, monkeypatch) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "stays.txt").write_text("This article stays where it is.")
    (seeds / "goes.txt").write_text("This article is deleted as the folder is read.")
    real_scan = corpus.scan_seeds

    def scan_then_delete(folder):
        listed = real_scan(folder)
        (seeds / "goes.txt").unlink()
        return listed

    monkeypatch.setattr(corpus, "scan_seeds", scan_then_delete)
    docs = {d.id: d for d in load_corpus(seeds).documents}
    assert docs["stays.txt"].status == "ok"
    assert (docs["goes.txt"].status, docs["goes.txt"].reason) == (
        "skipped", "file vanished while being read")


def test_unreadable_folder_is_listed(tmp_path: Path, monkeypatch) -> None:
    seeds = tmp_path / "seeds"
    (seeds / "locked").mkdir(parents=True)
    (seeds / "locked" / "inside.txt").write_text("Unseen.")
    (seeds / "open.txt").write_text("Seen and read.")
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(corpus.os, "scandir", scandir)
    docs = {d.id: d for d in load_corpus(seeds).documents}
    assert docs["locked"].reason == "cannot open folder: permission denied"
    assert docs["open.txt"].status == "ok"


def test_name_that_is_not_utf8(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    raw_name = os.path.join(os.fsencode(seeds), b"caf\xe9.txt")
    with open(raw_name, "wb") as fh:
        fh.write(b"An article whose file name is Latin-1.")
    (doc,) = load_corpus(seeds).documents
    assert doc.id == "caf\\xe9.txt" and doc.status == "ok"
    json.dumps(doc.to_json(), ensure_ascii=False).encode("utf-8")


def test_front_matter_alias_bomb_is_not_expanded(tmp_path: Path) -> None:
    path = tmp_path / "2024-01-02-bomb.md"
    path.write_text("---\n" + ALIAS_BOMB + "title: *a8\nsource: *a8\n---\nThe body is fine.\n")
    article = read_article(path, path.name)
    assert article.body == "The body is fine.\n"
    assert article.document.title is None and article.document.published == "2024-01-02"
    assert "front matter 'title' is not a plain value; ignored" in article.document.flags


def test_front_matter_nested_too_deeply(tmp_path: Path) -> None:
    path = tmp_path / "deep.md"
    path.write_text("---\ntitle: " + "[" * 5000 + "]" * 5000 + "\n---\nThe body is fine.\n")
    article = read_article(path, path.name)
    assert article.body == "The body is fine.\n"
    # libyaml reads the nesting and the title is dropped as not plain; pure
    # PyYAML gives up on the depth: either way the body is kept, flagged.
    assert article.document.title is None
    assert article.document.flags in (
        ("front matter is nested too deeply; ignored",),
        ("front matter 'title' is not a plain value; ignored",),
    )
