"""What is extracted does not depend on how an article is laid out.

Every article of the sample and of each fixture relation is re-laid out, in
the test, as hard-wrapped text (60 and 72 columns, indented paragraphs;
72 columns with blank-line paragraphs), CRLF, Markdown with emphasis, links
and a heading, a saved HTML page with navigation, a sidebar and a footer, and
one JSON Lines record. Each variant must give the same actors, quotes (text
and speaker), engagements (participants, date, status) and issues as the
original, record by record.
"""

from __future__ import annotations

import html
import json
import re
import textwrap
from collections import Counter
from pathlib import Path

import pytest

from tui.config import load_config
from tui.corpus import Article, load_corpus, split_front_matter
from tui.extract import extract_document
from tui.extract.models import DocResult
from tui.extract.pipeline import build_pipeline
from tui.extract.sents import set_layout
from tui.layout import prose

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
RELATIONS = [
    (ROOT / "config.yaml", ROOT / "seeds"),
    *[(d / "config.yaml", d / "seeds") for d in sorted(FIXTURES.iterdir()) if (d / "config.yaml").exists()],
]


def _paragraphs(body: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n", body) if p.strip()]


def _front(meta: dict) -> str:
    lines = ["---"]
    for key in ("title", "date", "source"):
        if meta.get(key) is not None:
            lines.append(f"{key}: {json.dumps(str(meta[key]))}")
    return "\n".join([*lines, "---", ""])


def _wrap(p: str, width: int, indent: str) -> str:
    return textwrap.fill(p, width, initial_indent=indent, break_long_words=False, break_on_hyphens=False)


def _markdown(paras: list[str]) -> str:
    out = ["## The full story", ""]
    for n, p in enumerate(paras):
        words = p.split(" ")
        if n % 3 == 0 and len(words) > 6:
            # Emphasis around a whole quotation or a plain word, a link on another.
            m = re.search(r"[\"\u201c][^\"\u201d]+[\"\u201d]", p)
            if m:
                p = p[: m.start()] + "**" + m.group() + "**" + p[m.end() :]
            else:
                words[3] = f"*{words[3]}*"
                p = " ".join(words)
        elif n % 3 == 1 and len(words) > 4:
            words[2] = f"[{words[2]}](https://example.org/story?id={n})"
            p = " ".join(words)
        out += [p, ""]
    return "\n".join(out)


def _html(meta: dict, paras: list[str]) -> str:
    title = html.escape(str(meta.get("title") or "Story"))
    body = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paras)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta property="article:published_time" content="{meta.get("date")}T08:00:00Z">
<meta property="og:site_name" content="Example Wire"></head>
<body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/business">Business</a></li><li><a href="/opinion">Opinion</a></li></ul></nav></header>
<div class="layout">
<aside class="sidebar"><h3>Most read</h3><ul><li><a href="/a">Weather turns cold across the north</a></li>
<li><a href="/b">Ten recipes for the weekend</a></li></ul></aside>
<main><article><h1>{title}</h1>
{body}
</article></main></div>
<footer><p>Copyright Example Wire. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body></html>
"""


def variants(name: str, meta: dict, body: str) -> dict[str, tuple[str, str]]:
    """file name -> text, for each layout of one article."""
    paras = _paragraphs(body)
    stem = Path(name).stem
    front = _front(meta)
    record = {"id": stem, "title": meta.get("title"), "date": str(meta.get("date")), "text": body}
    return {
        "wrap60": (f"{stem}.w60.txt", front + "\n".join(_wrap(p, 60, "   ") for p in paras) + "\n"),
        "wrap72": (f"{stem}.w72.txt", front + "\n".join(_wrap(p, 72, "    ") for p in paras) + "\n"),
        "wrap72-blank": (f"{stem}.w72b.txt", front + "\n\n".join(_wrap(p, 72, "") for p in paras) + "\n"),
        "crlf": (f"{stem}.crlf.txt", (front + body).replace("\n", "\r\n")),
        "markdown": (f"{stem}.md", front + _markdown(paras)),
        "html": (f"{stem}.html", _html(meta, paras)),
        "jsonl": (f"{stem}.jsonl", json.dumps(record) + "\n"),
    }


def summary(result: DocResult) -> dict[str, Counter]:
    """What a reader of the panes sees of one article, without offsets."""
    return {
        "actors": Counter((a.name, a.role, a.side, a.mentions) for a in result.actors),
        "quotes": Counter((prose(q.text), q.speaker) for q in result.quotes),
        "engagements": Counter((tuple(sorted(e.participants)), e.when, e.status) for e in result.engagements),
        "issues": Counter(i.issue_id for i in result.issues),
    }


def _extract_all(config_path: Path, folder: Path) -> dict[str, DocResult]:
    config = load_config(config_path).config
    pipeline = build_pipeline(config)
    corpus = load_corpus(folder)
    skipped = [(d.id, d.reason) for d in corpus.documents if d.status != "ok"]
    assert not skipped, skipped
    out: dict[str, DocResult] = {}
    for article in corpus.articles:
        doc = pipeline.nlp(set_layout(pipeline.nlp.make_doc(article.layout.text), article.layout))
        out[article.id] = extract_document(doc, article, config, pipeline)
    return out


_FOLDERS: dict[int, Path] = {}


def relation_folder(relation) -> Path:
    return _FOLDERS[id(relation[0])]


@pytest.fixture(scope="module", params=RELATIONS, ids=lambda r: r[1].parent.name)
def relation(request, tmp_path_factory):
    config_path, seeds = request.param
    folder = tmp_path_factory.mktemp("layouts")
    expected: dict[str, dict[str, str]] = {}
    for path in sorted(seeds.glob("*.txt")):
        meta, body, _ = split_front_matter(path.read_text(encoding="utf-8"))
        if meta.get("date") is None:
            meta["date"] = path.name[:10]
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        expected[path.name] = {}
        for kind, (name, text) in variants(path.name, meta, body).items():
            (folder / name).write_bytes(text.encode("utf-8"))
            expected[path.name][kind] = name if kind != "jsonl" else f"{name}#{Path(name).stem}"
    _FOLDERS[id(expected)] = folder
    return expected, _extract_all(config_path, folder)


KINDS = ["wrap60", "wrap72", "wrap72-blank", "crlf", "markdown", "html", "jsonl"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_layout_gives_the_same_records(relation, kind):
    expected, results = relation
    differences = []
    for original, layouts in expected.items():
        want = summary(results[original])
        got = summary(results[layouts[kind]])
        for pane in want:
            if want[pane] != got[pane]:
                missing = want[pane] - got[pane]
                extra = got[pane] - want[pane]
                differences.append(f"{original} {pane}: missing {dict(missing)} extra {dict(extra)}")
    assert not differences, "\n".join(differences)


def test_the_variants_are_read_in_their_own_layout(relation):
    """The comparison means something: wrapped variants are read as wrapped,
    the originals are not, and each form is read as that form."""
    expected, results = relation
    folder = relation_folder(relation)
    articles = {a.id: a for a in load_corpus(folder).articles}
    for original, layouts in expected.items():
        assert not articles[original].layout.wrapped, original
        for kind in ("wrap60", "wrap72", "wrap72-blank"):
            assert articles[layouts[kind]].layout.wrapped, layouts[kind]
        assert articles[layouts["markdown"]].form == "markdown"
        assert articles[layouts["html"]].form == "html"
        assert articles[layouts["jsonl"]].form == "jsonl"
        assert "\r" in articles[layouts["crlf"]].body


def test_hard_wrapped_paragraphs_are_found_from_the_line_profile(tmp_path):
    text = (ROOT / "seeds" / "2023-06-18-blinken-beijing.txt").read_text(encoding="utf-8")
    meta, body, _ = split_front_matter(text)
    paras = _paragraphs(body)
    for width in (44, 60, 72, 98):
        wrapped = "\n".join(_wrap(p, width, "  ") for p in paras)
        (tmp_path / f"w{width}.txt").write_text(wrapped, encoding="utf-8")
    for article in load_corpus(tmp_path).articles:
        assert isinstance(article, Article)
        layout = article.layout
        assert layout.wrapped, article.id
        got = [prose(layout.text[s:e]) for s, e in layout.paragraphs]
        assert got == paras, article.id
