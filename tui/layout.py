"""Layout analysis: a body as read -> its paragraphs, once per document.

Articles arrive one paragraph a line, with blank-line paragraphs, hard-wrapped
at a fixed width with indented paragraphs (wire archives), with CRLF or CR
line ends, or as Markdown. This module finds the paragraphs from the
document's own shape and writes the text the extractors read:

- the same length as the body, so every offset into it is an offset into the
  body as read;
- the lines of one paragraph joined with spaces;
- each gap between paragraphs written as one newline followed by spaces;
- in Markdown, the marks (`#`, `**`, `[...](url)`, list bullets, `>`)
  blanked to spaces, so they never change what is extracted.

Hard wrapping is recognised from the line-length profile: in a wrapped text
almost every line that is followed by another is "full" (the next line's first
word would not have fitted after it), while in a text of one paragraph a line
only the longest lines are. The wrap width is read off the document, never
assumed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

# A wire dateline at the start of a paragraph: "PORT ALBA, March 1 (Wirecast) -",
# "VELLMAR, Sylvania (XP) —", "VELLMAR:", "WASHINGTON (Reuters) -".
_DATELINE = re.compile(
    r"[A-Z][A-Z.'\u2019-]+(?: [A-Z][A-Z.'\u2019-]+)*"
    r"(?:,[ \t]*[A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?)?"
    r"(?:,?[ \t]*[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2}(?:,[ \t]*\d{4})?)?"
    r"(?:[ \t]*\(([^()\n]{1,30})\)[ \t]*(?:[\u2014\u2013-]+|:)?|[ \t]*([\u2014\u2013-]+|:))"
)
# "Vellmar (XP) -", "Port Alba, March 2 (Wirecast) -": a place in any case
# when the newswire follows in brackets.
_DATELINE_AGENCY = re.compile(
    r"[A-Z][\w.'\u2019-]+(?: [A-Z][\w.'\u2019-]+){0,3}"
    r"(?:,[ \t]*[A-Z][\w.]+(?: [A-Z][\w.]+)?)?"
    r"(?:,?[ \t]*[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2}(?:,[ \t]*\d{4})?)?"
    r"[ \t]*\(([^()\n]{1,30})\)[ \t]*(?:[\u2014\u2013-]+|:)"
)
_EOL = re.compile(r"\r\n|\r|\n")
# How many paragraphs from the top a dateline may start (after headline and byline).
_DATELINE_WITHIN = 4
# A text with fewer full line ends than this is never taken as hard-wrapped.
_MIN_FULL_LINES = 3
_WRAPPED_SHARE = 0.5


@dataclass(frozen=True)
class Layout:
    """The paragraphs of a body and the text the extractors read."""

    text: str  # same length as the body
    paragraphs: tuple[tuple[int, int], ...]  # (start, end) of each paragraph's words
    dateline: tuple[int, int] | None = None  # the wire dateline's span, a paragraph of its own
    agency: str | None = None  # the newswire the dateline names ("Reuters")
    wrapped: bool = False  # hard-wrapped lines were joined
    width: int | None = None  # the wrap width read off the document
    # Markdown only: `text` has its marks taken out, and to_body[i] is the body
    # offset of text[i] (one entry more, for the end). None: text indexes the body.
    to_body: tuple[int, ...] | None = None

    def body_offset(self, i: int) -> int:
        """The body offset of a start offset into `text`."""
        if self.to_body is None:
            return i
        return self.to_body[max(0, min(i, len(self.to_body) - 1))]

    def body_end(self, i: int) -> int:
        """The body offset of an end offset into `text` (just after its last character)."""
        if self.to_body is None or i <= 0:
            return self.body_offset(i)
        return self.to_body[min(i, len(self.to_body) - 1) - 1] + 1


@dataclass
class _Line:
    start: int  # offset of the first character
    end: int  # offset after the last character before the line end
    eol_end: int  # offset after the line end
    indent: int  # visual width of the leading whitespace
    width: int  # visual width up to the last non-space character
    first_word: int  # visual width of the first word
    blank: bool
    block_start: bool = False  # Markdown: a heading, list item, rule, fence or table row starts here
    block_alone: bool = False  # Markdown: a heading or rule, a paragraph by itself


def _visual(s: str) -> int:
    return len(s.expandtabs(4))


def _split_lines(body: str) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    for m in _EOL.finditer(body):
        lines.append(_make_line(body, pos, m.start(), m.end()))
        pos = m.end()
    if pos < len(body):
        lines.append(_make_line(body, pos, len(body), len(body)))
    return lines


def _make_line(body: str, start: int, end: int, eol_end: int) -> _Line:
    raw = body[start:end]
    content = raw.strip()
    if not content:
        return _Line(start, end, eol_end, 0, 0, 0, True)
    lead = raw[: len(raw) - len(raw.lstrip())]
    word = content.split(None, 1)[0]
    return _Line(start, end, eol_end, _visual(lead), _visual(raw.rstrip()), len(word), False)


# ---- Markdown -------------------------------------------------------------

_MD_HEADING = re.compile(r"\A[ ]{0,3}(#{1,6})(?=[ \t]|\Z)")
_MD_HEADING_CLOSE = re.compile(r"[ \t]+#+[ \t]*\Z")
_MD_RULE = re.compile(r"\A[ ]{0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|=+[ \t]*)\Z")
_MD_FENCE = re.compile(r"\A[ ]{0,3}(?:`{3,}|~{3,})")
_MD_QUOTE = re.compile(r"\A[ ]{0,3}(?:>[ ]?)+")
_MD_BULLET = re.compile(r"\A[ \t]*(?:[-*+]|\d{1,9}[.)])(?=[ \t])")
_MD_REFDEF = re.compile(r"\A[ ]{0,3}\[[^\]\n]{1,200}\]:[ \t]*\S")
_MD_TABLE_RULE = re.compile(r"\A[ \t|:-]+\Z")
_MD_IMAGE = re.compile(r"!\[[^\]\n]{0,300}\]\([^)\n]{0,500}\)")
_MD_LINK = re.compile(r"\[([^\]\n]{1,300})\](\([^)\n]{0,500}\)|\[[^\]\n]{0,100}\])")
_MD_AUTOLINK = re.compile(r"<(?:https?|mailto|ftp):[^>\s]{1,500}>")
_MD_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]{0,20}(?:\s[^<>\n]{0,300})?/?>")
_MD_ESCAPE = re.compile(r"\\(?=[!-/:-@\[-`{-~])")
# Emphasis marks: runs of * anywhere but between spaces; _ and ~ only at a word's edge.
_MD_STARS = re.compile(r"\*+(?! )|(?<! )\*+")
_MD_UNDERSCORES = re.compile(r"(?<![A-Za-z0-9])_+(?=\S)|(?<=\S)_+(?![A-Za-z0-9])")
_MD_STRIKE = re.compile(r"~~")
_MD_CODE = re.compile(r"`+")


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        chars[i] = " "


def _blank_markdown(body: str, lines: list[_Line]) -> str:
    """Blank Markdown marks to spaces; mark the lines that start blocks."""
    chars = list(body)
    in_fence = False
    for line in lines:
        raw = body[line.start : line.end]
        if _MD_FENCE.match(raw):
            in_fence = not in_fence
            _blank(chars, line.start, line.end)
            line.blank, line.block_start = True, True
            continue
        if in_fence or line.blank:
            continue
        if _MD_RULE.match(raw) or _MD_REFDEF.match(raw) or ("|" in raw and _MD_TABLE_RULE.match(raw)):
            _blank(chars, line.start, line.end)
            line.blank, line.block_start = True, True
            continue
        offset = 0
        m = _MD_QUOTE.match(raw)
        if m:
            _blank(chars, line.start, line.start + m.end())
            offset = m.end()
        rest = raw[offset:]
        m = _MD_HEADING.match(rest)
        if m:
            _blank(chars, line.start + offset, line.start + offset + m.end())
            close = _MD_HEADING_CLOSE.search(rest)
            if close:
                _blank(chars, line.start + offset + close.start(), line.start + offset + close.end())
            line.block_start = line.block_alone = True
        else:
            m = _MD_BULLET.match(rest)
            if m:
                _blank(chars, line.start + offset, line.start + offset + m.end())
                line.block_start = True
            elif rest.lstrip().startswith("|"):
                line.block_start = True
        _blank_inline(chars, body, line.start, line.end)
    return "".join(chars)


def _blank_inline(chars: list[str], body: str, start: int, end: int) -> None:
    seg = body[start:end]
    for m in _MD_IMAGE.finditer(seg):
        _blank(chars, start + m.start(), start + m.end())
    for m in _MD_LINK.finditer(seg):
        if seg[m.start() - 1 : m.start()] == "!":
            continue
        _blank(chars, start + m.start(), start + m.start() + 1)  # "["
        _blank(chars, start + m.start(1) + len(m.group(1)), start + m.end())  # "](url)"
    for pattern in (_MD_AUTOLINK, _MD_TAG):
        for m in pattern.finditer(seg):
            _blank(chars, start + m.start(), start + m.end())
    for pattern in (_MD_ESCAPE, _MD_STARS, _MD_UNDERSCORES, _MD_STRIKE, _MD_CODE):
        for m in pattern.finditer(seg):
            if pattern is _MD_STARS and body[start + m.start() : start + m.end()].strip("*") == "":
                # "5 * 3" and a lone "*" between spaces stay; emphasis runs go.
                before = body[start + m.start() - 1 : start + m.start()]
                after = body[start + m.end() : start + m.end() + 1]
                if before in (" ", "") and after in (" ", ""):
                    continue
            _blank(chars, start + m.start(), start + m.end())
    for i in range(start, end):
        if chars[i] == "|" and body[i] == "|":
            chars[i] = " "  # table cells read as words


# ---- paragraphs ------------------------------------------------------------


def _wrap_width(lines: list[_Line]) -> tuple[bool, int | None]:
    """Is the text hard-wrapped, and at what width?"""
    followed = [a for a, b in zip(lines, lines[1:], strict=False) if not a.blank and not b.blank]
    if len(followed) < _MIN_FULL_LINES:
        return False, None
    widths = sorted(a.width for a in followed)
    width = widths[min(len(widths) - 1, int(len(widths) * 0.9))]
    full = 0
    for a, b in zip(lines, lines[1:], strict=False):
        if a.blank or b.blank:
            continue
        if a.width + 1 + b.first_word > width:
            full += 1
    wrapped = full >= _MIN_FULL_LINES and full / len(followed) >= _WRAPPED_SHARE
    return wrapped, width if wrapped else None


def _paragraph_starts(lines: list[_Line], wrapped: bool, width: int | None, markdown: bool) -> list[bool]:
    """For each line, whether it starts a paragraph (blank lines excluded)."""
    starts = [False] * len(lines)
    block_indent: int | None = None
    prev: _Line | None = None
    for i, line in enumerate(lines):
        if line.blank:
            prev = None
            block_indent = None
            continue
        if prev is None:
            starts[i] = True
        elif markdown and (line.block_start or prev.block_alone):
            starts[i] = True
        elif not wrapped:
            # One paragraph a line, unless Markdown joins its lines (it always does).
            starts[i] = not markdown
        else:
            assert width is not None
            full = prev.width + 1 + line.first_word > width
            indented = block_indent is not None and line.indent > block_indent
            starts[i] = indented or not full
        if block_indent is None or line.indent < block_indent:
            block_indent = line.indent
        prev = line
    return starts


def analyse(body: str, markdown: bool = False) -> Layout:
    """Find the paragraphs of `body` and write the text the extractors read."""
    lines = _split_lines(body)
    base = _blank_markdown(body, lines) if markdown else body
    wrapped, width = _wrap_width(lines)
    starts = _paragraph_starts(lines, wrapped, width, markdown)
    chars = list(base)
    spans: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for i, line in enumerate(lines):
        if line.blank:
            continue
        if starts[i] or current is None:
            if current is not None:
                spans.append(current)
            current = (line.start, line.end)
        else:
            current = (current[0], line.end)
    if current is not None:
        spans.append(current)
    # Trim each paragraph to its words in the blanked text; drop empty ones.
    trimmed: list[tuple[int, int]] = []
    for s, e in spans:
        seg = base[s:e]
        lead = len(seg) - len(seg.lstrip())
        tail = len(seg.rstrip())
        if tail > lead:
            trimmed.append((s + lead, s + tail))
    text = _write(chars, trimmed)
    to_body: tuple[int, ...] | None = None
    if markdown:
        text, trimmed, to_body = _without_marks(body, text, trimmed)
    # The dateline's dash stays as written: the tagger reads "(Reuters) - Indian
    # Foreign Minister" better than a line break before "Indian".
    dl, agency, paragraphs = _split_dateline(text, trimmed)
    return Layout(
        text=text,
        paragraphs=tuple(paragraphs),
        dateline=dl,
        agency=agency,
        wrapped=wrapped,
        width=width,
        to_body=to_body,
    )


def _without_marks(
    body: str, text: str, paragraphs: list[tuple[int, int]]
) -> tuple[str, list[tuple[int, int]], tuple[int, ...]]:
    """Take the blanked Markdown marks out of the text, keeping a map to the body.

    Blanks left in place would reach the model as runs of whitespace in the
    middle of a sentence and change how it is tagged; taken out, `**"We will
    meet,"** she said` reads exactly as `"We will meet," she said`.
    """
    keep: list[str] = []
    to_body: list[int] = []
    for i, ch in enumerate(text):
        if ch == " " and not body[i].isspace():
            # A mark: dropped, unless it alone keeps two words apart ("a<br>b").
            prev = keep[-1] if keep else " "
            j = i + 1
            while j < len(text) and text[j] == " " and not body[j].isspace():
                j += 1
            nxt = text[j] if j < len(text) else " "
            if not (prev.isalnum() and nxt.isalnum()):
                continue
        keep.append(ch)
        to_body.append(i)
    to_body.append(len(text))
    from_body = [0] * (len(text) + 1)
    j = 0
    for i in range(len(text) + 1):
        while j < len(to_body) - 1 and to_body[j] < i:
            j += 1
        from_body[i] = j
    spans = [(from_body[s], from_body[e]) for s, e in paragraphs]
    spans = [(s, e) for s, e in spans if e > s]
    return "".join(keep), spans, tuple(to_body)


def _write(chars: list[str], paragraphs: list[tuple[int, int]]) -> str:
    """Whitespace inside a paragraph becomes spaces; each gap between paragraphs
    becomes a newline and spaces; the text outside paragraphs becomes spaces."""
    n = len(chars)
    inside = 0
    for s, e in paragraphs:
        for i in range(inside, s):
            chars[i] = " "
        if inside < s and inside > 0:
            chars[inside] = "\n"
        for i in range(s, e):
            if chars[i] in "\r\n\t\f\v\u2028\u2029\x85":
                chars[i] = " "
        inside = e
    for i in range(inside, n):
        chars[i] = " "
    if paragraphs and inside < n:
        chars[inside] = "\n"
    return "".join(chars)


def dateline(text: str) -> tuple[int, str | None]:
    """End offset of a wire dateline opening `text` (0 if none), and the newswire it names."""
    m = _DATELINE.match(text)
    if m and (m.group(1) or m.group(2)):
        return m.end(), m.group(1)
    m = _DATELINE_AGENCY.match(text)
    if m:
        return m.end(), m.group(1)
    return 0, None


def _split_dateline(
    text: str, paragraphs: list[tuple[int, int]]
) -> tuple[tuple[int, int] | None, str | None, list[tuple[int, int]]]:
    """A dateline opening one of the first paragraphs becomes a paragraph of its own."""
    for n, (s, e) in enumerate(paragraphs[:_DATELINE_WITHIN]):
        length, agency = dateline(text[s:e])
        if not length:
            continue
        end = s + length
        rest = end
        while rest < e and text[rest].isspace():
            rest += 1
        if rest >= e:
            continue  # the whole paragraph: a headline or a byline, not a dateline
        dl_end = end
        while dl_end > s and text[dl_end - 1] in " \t-\u2013\u2014:":
            dl_end -= 1
        new = [*paragraphs[:n], (s, max(dl_end, s + 1)), (rest, e), *paragraphs[n + 1 :]]
        return (s, end), agency, new
    return None, None, list(paragraphs)


@dataclass(frozen=True)
class ParagraphIndex:
    """Lookups over paragraph spans, for extractors."""

    spans: tuple[tuple[int, int], ...]
    starts: tuple[int, ...]

    @classmethod
    def of(cls, spans: tuple[tuple[int, int], ...]) -> ParagraphIndex:
        return cls(spans, tuple(s for s, _ in spans))

    def number(self, pos: int) -> int:
        """The paragraph a character offset belongs to (or the one before a gap)."""
        return max(0, bisect_right(self.starts, pos) - 1)

    def span(self, pos: int) -> tuple[int, int]:
        if not self.spans:
            return (0, 0)
        return self.spans[self.number(pos)]

    def same(self, a: int, b: int) -> bool:
        """Whether two offsets lie in one paragraph."""
        return bool(self.spans) and self.number(a) == self.number(b) and b <= self.spans[self.number(a)][1]


def prose(text: str) -> str:
    """A stretch of text as one line of prose: whitespace runs become one space."""
    return " ".join(text.split())


def prose_offset(text: str, i: int) -> int:
    """Where offset `i` of `text` lands in `prose(text)`."""
    head = text[:i]
    words = head.split()
    if not words:
        return 0
    n = len(" ".join(words))
    if head[-1].isspace() and text[i:].strip():
        n += 1
    return n
