"""Articles in every form they arrive in: wrapped text, Markdown, HTML pages, JSON Lines.

Each test plants files in a seeds folder of the small invented relation and
reads what `tui extract --json` would show.
"""

from __future__ import annotations

import json
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.corpus import Article, load_corpus, read_article, strip_controls
from tui.engine import Engine
from tui.layout import analyse

PROPERTY = settings(
    derandomize=True, max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def snapshot(relation) -> dict:
    return Engine(relation.config).refresh().to_json()


def quotes_of(snap: dict, doc: str) -> list[tuple[str, str | None]]:
    return [(q["text"], q["speaker"]) for q in snap["quotes"] if q["doc"] == doc]


def body_of(relation, doc_id: str) -> str:
    return next(a.body for a in load_corpus(relation.seeds).articles if a.id == doc_id)


# --- Markdown -------------------------------------------------------------------


def test_markdown_marks_never_change_what_is_extracted(small_relation):
    small_relation.write_article(
        "2024-03-05-marked.md",
        """\
        ---
        date: 2024-03-05
        ---
        ## Ministers in Lisbon

        > **"We will meet again in May,"** said [Ana Ruiz](https://example.org/ruiz "profile"), the
        > *Freedonian* foreign minister.

        - Otto Brandt said Sylvania would lift the __steel tariffs__ soon.
        """,
    )
    snap = snapshot(small_relation)
    assert quotes_of(snap, "2024-03-05-marked.md") == [("We will meet again in May", "Ana Ruiz")]
    quote = next(q for q in snap["quotes"] if q["doc"] == "2024-03-05-marked.md")
    body = body_of(small_relation, "2024-03-05-marked.md")
    assert body[quote["start"] : quote["end"]] == "We will meet again in May"  # offsets index the body
    names = {a["name"] for a in snap["actors"] if "2024-03-05-marked.md" in a["docs"]}
    assert {"Ana Ruiz", "Otto Brandt"} <= names
    assert not any("http" in n or "*" in n for n in names)
    issue = next(i for i in snap["issues"] if i["id"] == "tariffs")
    ev = next(e for e in issue["evidence"] if e["doc"] == "2024-03-05-marked.md")
    assert "_" not in ev["sentence"] and "steel tariffs" in ev["sentence"]


# --- wrapped text and wire conventions --------------------------------------------


WIRE = """\
Freedonia and Sylvania to meet on tariffs
   PORT ALBA, March 4 (Wirecast) - Freedonian Foreign Minister Ana
Ruiz will meet Sylvanian Trade Minister Otto Brandt in Lisbon on
Friday to discuss steel tariffs, officials said on Monday.
   "We have waited long enough for a fair deal on steel," Ruiz
told reporters in the capital, adding that the month"s talks had
been "useful but far too slow for our exporters."
   Brandt said the two sides would also discuss the fishing
dispute, which has strained ties for more than a year.
"""


def test_wire_copy_in_its_native_layout(small_relation):
    small_relation.write_article("2024-03-04-wire.txt", WIRE)
    snap = snapshot(small_relation)
    doc = "2024-03-04-wire.txt"
    quotes = quotes_of(snap, doc)
    assert ("We have waited long enough for a fair deal on steel", "Ana Ruiz") in quotes
    assert ("useful but far too slow for our exporters.", "Ana Ruiz") in quotes
    assert len(quotes) == 2  # 'month"s' is an apostrophe, not a quotation mark
    names = {a["name"] for a in snap["actors"] if doc in a["docs"]}
    assert "Ana Ruiz" in names and "Ana" not in names and "Ruiz" not in names  # a name over two lines
    assert not {"PORT ALBA", "Port Alba", "Wirecast"} & names  # the dateline is not an actor
    meeting = next(e for e in snap["engagements"] if doc in {ev["doc"] for ev in e["evidence"]})
    assert set(meeting["participants"]) == {"Ana Ruiz", "Otto Brandt"}
    assert meeting["when"] == "2024-03-08"  # "on / Friday" across a line break
    for record in [*snap["quotes"], *[ev for e in snap["engagements"] for ev in e["evidence"]]]:
        sentence = record["sentence"]
        assert "\n" not in sentence and "  " not in sentence  # evidence reads as prose
        assert "PORT ALBA" not in sentence and "Wirecast" not in sentence


def test_layout_kinds_are_told_apart():
    one_a_line = "First paragraph is here and it is long enough to look like prose.\nSecond one.\nThird.\n"
    assert len(analyse(one_a_line).paragraphs) == 3
    crlf = "A first paragraph.\r\n\r\nA second paragraph.\r\n"
    layout = analyse(crlf)
    assert [layout.text[s:e] for s, e in layout.paragraphs] == ["A first paragraph.", "A second paragraph."]
    cr = "Old Mac line one.\rOld Mac line two.\r"
    assert len(analyse(cr).paragraphs) == 2
    para = " ".join(f"word{i}" for i in range(60))
    wrapped = textwrap.fill(para, 50) + "\n\n" + textwrap.fill(para, 50)
    layout = analyse(wrapped)
    assert layout.wrapped and 40 <= (layout.width or 0) <= 50 and len(layout.paragraphs) == 2
    assert len(layout.text) == len(wrapped)


# --- HTML pages --------------------------------------------------------------------


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Ministers meet in Lisbon | The Daily Example</title>
<meta property="og:title" content="Ministers meet in Lisbon">
<meta property="og:site_name" content="The Daily Example">
<meta name="author" content="Jo Writer">
<meta property="article:published_time" content="2024-03-06T09:30:00+00:00">
<link rel="canonical" href="https://daily.example/world/lisbon-talks">
</head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav></header>
<aside class="related"><h2>Related</h2><ul><li><a href="/x">Celebrity chef opens a restaurant</a></li></ul></aside>
<article>
<h1>Ministers meet in Lisbon</h1>
<p>Freedonian Foreign Minister Ana Ruiz met Sylvanian Trade Minister Otto Brandt in Lisbon on Wednesday.</p>
<p>&ldquo;We will not accept new tariffs on our steel,&rdquo; Ruiz told reporters after the meeting.</p>
<p>Brandt said the two sides would meet again next week to discuss the fishing dispute.</p>
</article>
<div class="comments"><h3>Comments</h3><p>Reader99: "This is all a waste of money," I say.</p></div>
<footer><p>&copy; The Daily Example. Subscribe today.</p></footer>
</body></html>
"""


def test_a_saved_page_gives_its_main_text_and_metadata(small_relation):
    small_relation.write_article("saved page.html", PAGE)
    snap = snapshot(small_relation)
    doc = next(d for d in snap["documents"] if d["id"] == "saved page.html")
    assert doc["status"] == "ok" and doc["form"] == "html"
    assert doc["title"] == "Ministers meet in Lisbon"
    assert doc["published"] == "2024-03-06"  # from the page, not the file name
    assert doc["author"] == "Jo Writer" and doc["source"] == "The Daily Example"
    assert doc["url"] == "https://daily.example/world/lisbon-talks"
    body = body_of(small_relation, "saved page.html")
    for left_out in ("Home", "Celebrity chef", "Reader99", "Subscribe"):
        assert left_out not in body
    assert quotes_of(snap, "saved page.html") == [("We will not accept new tariffs on our steel", "Ana Ruiz")]
    quote = next(q for q in snap["quotes"] if q["doc"] == "saved page.html")
    assert body[quote["start"] : quote["end"]] == quote["text"]


def test_front_matter_in_a_page_wins_over_the_page(small_relation):
    small_relation.write_article("p.htm", "---\ndate: 2024-01-02\ntitle: My own title\n---\n" + PAGE)
    doc = next(d for d in snapshot(small_relation)["documents"] if d["id"] == "p.htm")
    assert (doc["published"], doc["title"]) == ("2024-01-02", "My own title")


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        (
            "<html><head><script>var a = 1;</script></head><body><script>alert(1)</script></body></html>",
            "no article text",
        ),
        ("<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article text"),
        ("just some words with no tags at all, but a .html name", "not an HTML page"),
    ],
)
def test_a_page_without_article_text_is_skipped_with_the_reason(small_relation, html, reason):
    small_relation.write_article("empty.html", html)
    doc = next(d for d in snapshot(small_relation)["documents"] if d["id"] == "empty.html")
    assert doc["status"] == "skipped" and reason in doc["reason"]


def test_an_html_bomb_is_read_or_skipped_and_nothing_else_is_lost(small_relation):
    depth = 100_000
    bomb = "<html><body>" + "<div><span>" * depth + "deep words" + "</span></div>" * depth + "</body></html>"
    assert len(bomb) > 2_000_000 - 200_000
    (small_relation.seeds / "bomb.html").write_text(bomb[: 2 * 1024 * 1024 - 10], encoding="utf-8")
    (small_relation.seeds / "broken.html").write_text(
        "<html><body><p>Unclosed <b>bold <i>and <p>" + "<table><tr><td>" * 500 + "Ruiz said so.", encoding="utf-8"
    )
    snap = snapshot(small_relation)
    docs = {d["id"]: d for d in snap["documents"]}
    assert set(docs) == {"2024-03-04-lisbon.md", "bomb.html", "broken.html"}
    for d in docs.values():
        assert d["status"] == "ok" or d["reason"]
    assert quotes_of(snap, "2024-03-04-lisbon.md") == [("We will not accept new tariffs on our steel", "Ana Ruiz")]


# --- JSON Lines --------------------------------------------------------------------


def test_json_lines_one_article_a_line(small_relation):
    lines = [
        json.dumps(
            {
                "id": "a-17",
                "headline": "Ruiz in Lisbon",
                "publishedAt": "2024-03-06T10:00:00Z",
                "body": '"We will meet again," Ruiz said of Sylvania on Wednesday.',
                "source": {"name": "Wire"},
            }
        ),
        "{not json at all",
        json.dumps(["a", "list"]),
        json.dumps({"title": "no text here"}),
        json.dumps({"text": 42}),
        "",
        json.dumps(
            {
                "content": "Brandt said the steel tariffs would stay.",
                "date": "Thu, 07 Mar 2024 08:00:00 GMT",
                "url": "https://example.org/2",
            }
        ),
        json.dumps({"id": "a-17", "text": "Otto Brandt said the fishing dispute was over.", "published": 1709856000}),
        "[" * 100_000 + "]" * 100_000,
    ]
    (small_relation.seeds / "export.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    snap = snapshot(small_relation)
    docs = {d["id"]: d for d in snap["documents"] if d["id"].startswith("export.jsonl")}
    ok = {k: d for k, d in docs.items() if d["status"] == "ok"}
    assert set(ok) == {"export.jsonl#a-17", "export.jsonl#7", "export.jsonl#8"}
    first = ok["export.jsonl#a-17"]
    assert (first["title"], first["published"], first["source"]) == ("Ruiz in Lisbon", "2024-03-06", "Wire")
    assert ok["export.jsonl#7"]["published"] == "2024-03-07" and ok["export.jsonl#7"]["url"] == "https://example.org/2"
    assert ok["export.jsonl#8"]["published"] == "2024-03-08"  # a Unix time
    assert any("repeats an earlier line" in f for f in ok["export.jsonl#8"]["flags"])
    skipped = {k: d["reason"] for k, d in docs.items() if d["status"] == "skipped"}
    assert skipped == {
        "export.jsonl#2": skipped["export.jsonl#2"],
        "export.jsonl#3": "line 3: not a JSON object",
        "export.jsonl#4": skipped["export.jsonl#4"],
        "export.jsonl#5": skipped["export.jsonl#5"],
        "export.jsonl#9": "line 9: JSON nested too deeply",
    }
    assert skipped["export.jsonl#2"].startswith("line 2: not valid JSON")
    assert "line 4: no article text" in skipped["export.jsonl#4"]
    assert "line 5: no article text" in skipped["export.jsonl#5"] and "not a string" in skipped["export.jsonl#5"]
    assert quotes_of(snap, "export.jsonl#a-17") == [("We will meet again", "Ana Ruiz")]


@PROPERTY
@given(
    lines=st.lists(
        st.one_of(
            st.text(max_size=200),
            st.builds(
                json.dumps,
                st.dictionaries(
                    st.sampled_from(["text", "title", "date", "id", "body"]),
                    st.one_of(st.none(), st.integers(), st.text(max_size=80), st.lists(st.integers(), max_size=3)),
                ),
            ),
            st.just("x" * 3_000_000),
        ),
        max_size=8,
    )
)
def test_any_json_lines_file_is_read_line_by_line(tmp_path_factory, lines):
    folder = tmp_path_factory.mktemp("jsonl")
    (folder / "f.jsonl").write_text("\n".join(lines), encoding="utf-8")
    documents = load_corpus(folder).documents
    ids = [d.id for d in documents]
    assert len(ids) == len(set(ids))
    records = [line for line in strip_controls("\n".join(lines)).split("\n") if line.strip()]
    assert len(documents) == max(1, len(records))  # every line accounted for
    for d in documents:
        assert d.status == "ok" or (d.reason and d.reason.strip())


@PROPERTY
@given(
    html=st.recursive(
        st.text(max_size=40),
        lambda inner: st.builds(
            lambda tag, body: f"<{tag}>{body}</{tag}>",
            st.sampled_from(["div", "p", "span", "script", "table", "b", "x-y", "!--", "svg"]),
            inner,
        ),
        max_leaves=30,
    )
)
def test_any_html_file_is_read_or_skipped_with_a_reason(tmp_path_factory, html):
    path = tmp_path_factory.mktemp("html") / "page.html"
    path.write_text(html, encoding="utf-8")
    result = read_article(path, "page.html")
    if isinstance(result, Article):
        assert result.body.strip() and "<" not in result.body.replace("< ", "")[:0]
    else:
        assert result.status == "skipped" and result.reason


def test_old_mac_line_ends_are_paragraph_breaks(small_relation):
    path = small_relation.seeds / "2024-03-05-mac.txt"
    path.write_bytes(b'"We will meet in May," Ruiz said.\r"It is too late," Brandt said.\r')
    (article,) = [a for a in load_corpus(small_relation.seeds).articles if a.id == path.name]
    assert len(article.layout.paragraphs) == 2 and article.body.count("\r") == 2
    assert quotes_of(snapshot(small_relation), path.name) == [
        ("We will meet in May", "Ana Ruiz"),
        ("It is too late", "Otto Brandt"),
    ]
