"""Resolve date expressions against an article's publication date.

English date language is rules here (weekdays, "next month", "later this
year", "on March 3"); dateparser handles absolute dates in the many forms
our rules do not cover. Each result keeps its granularity (day, month, year)
and the reason it was resolved that way. An expression that cannot be
resolved returns None and stays as written; nothing falls back silently to
the publication date.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from tui.extract.lexicon import english_dates

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
WEEKDAYS.update({d.lower(): i for i, d in enumerate(calendar.day_abbr)})
_MONTH_RE = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WEEKDAY_RE = (
    r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?"
)
# Words that say a span is a duration or a vague time, not a date.
_VAGUE = re.compile(
    r"\b(coming|next (?:few|several|couple)|past|recent|since|for|within|over the|"
    r"decades?|centur(?:y|ies)|hours?|minutes?|ago|old)\b"
)
_DURATION = re.compile(
    r"^\s*(?:about |some |nearly |almost |more than |at least )?(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a|an|several|few|many)[- ](?:days?|weeks?|months?|years?)\s*$"
)


@dataclass(frozen=True)
class ResolvedDate:
    when: str  # YYYY-MM-DD | YYYY-MM | YYYY (the first day of a range or week)
    granularity: str  # day | week | month | year
    reason: str
    past_marker: bool = False  # the words themselves point back ("last year")
    end: str | None = None  # last day (YYYY-MM-DD) of a range or a week


def is_duration(text: str) -> bool:
    """ "two days", "five years", "18-month-old": a length of time, not a date."""
    t = _clean(text)
    return bool(_DURATION.match(t) or re.search(r"\b(?:days?|weeks?|months?|years?)[- ]old\b", t))


def _day(d: date, reason: str, past: bool = False) -> ResolvedDate:
    return ResolvedDate(d.isoformat(), "day", reason, past)


def _month(y: int, m: int, reason: str, past: bool = False) -> ResolvedDate:
    return ResolvedDate(f"{y:04d}-{m:02d}", "month", reason, past)


def _year(y: int, reason: str, past: bool = False) -> ResolvedDate:
    return ResolvedDate(f"{y:04d}", "year", reason, past)


_STEPS: dict[str, int] = english_dates()["relative_steps"]
_REL_DAYS: dict[str, int] = english_dates()["relative_days"]
_RELATIVE = {
    unit: re.compile(
        r"(?:(early|late|mid|the end of|end of|the start of|start of|later|earlier)[- ](?:in )?)?("
        + "|".join(sorted(_STEPS, key=len, reverse=True))
        + r") "
        + unit
    )
    for unit in ("month", "year")
}


def _relative_step(t: str, unit: str) -> tuple[int, str | None] | None:
    """(how many months or years from publication, the modifier) for "next month" and kin."""
    m = _RELATIVE[unit].fullmatch(t)
    return (_STEPS[m.group(2)], m.group(1)) if m else None


def _add_months(y: int, m: int, delta: int) -> tuple[int, int]:
    total = y * 12 + (m - 1) + delta
    return total // 12, total % 12 + 1


def _clean(text: str) -> str:
    text = text.lower().replace("\u2019", "'").strip()
    text = re.sub(r"^(on|in|at|by|from|until|till|during|since|around|about|before|after|of)\s+", "", text)
    text = re.sub(r"^the\s+", "", text)
    return re.sub(r"\s+", " ", text).strip(" ,.")


def resolve_date(text: str, published: str | date | None, tense: str | None = None) -> ResolvedDate | None:
    """Resolve a date expression; `tense` is "past" or "future" (the verb's)."""
    pub = date.fromisoformat(published) if isinstance(published, str) else published
    return _resolve(_clean(text), pub, tense)


@lru_cache(maxsize=4096)
def _resolve(t: str, pub: date | None, tense: str | None) -> ResolvedDate | None:
    if not t or _DURATION.match(t):
        return None
    future = tense != "past"

    # ISO dates: 2024-05-06, 2024-05, 2024/05/06.
    m = re.fullmatch(r"(\d{4})[-/](\d{1,2})(?:[-/](\d{1,2}))?", t)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        try:
            if m.group(3):
                return _day(date(y, mo, int(m.group(3))), "ISO date")
            date(y, mo, 1)
            return _month(y, mo, "ISO month")
        except ValueError:
            return None

    # Relative days.
    rel_days = _REL_DAYS
    if t in rel_days:
        if pub is None:
            return None
        return _day(pub + timedelta(days=rel_days[t]), f"'{t}' from the publication date", rel_days[t] < 0)

    # Weekdays: "Monday", "next Tuesday", "last Friday", "early Sunday", "Monday morning".
    m = re.fullmatch(
        r"(?:(next|last|this|coming|early|late|earlier|later)\s+)?"
        + _WEEKDAY_RE
        + r"(?:\s+(?:morning|afternoon|evening|night))?",
        t,
    )
    if m:
        if pub is None:
            return None
        wd = WEEKDAYS[m.group(2)]
        mod = m.group(1)
        if mod == "next":
            delta = (wd - pub.weekday()) % 7 or 7
            return _day(pub + timedelta(days=delta), "next such weekday after publication")
        if mod == "last" or (tense == "past" and mod != "coming"):
            delta = (pub.weekday() - wd) % 7
            if mod == "last" and delta == 0:
                delta = 7
            return _day(pub - timedelta(days=delta), "weekday before publication (past tense)", mod == "last")
        delta = (wd - pub.weekday()) % 7
        return _day(pub + timedelta(days=delta), "weekday on or after publication")

    # Relative weeks: the week's Monday, granularity week, ending on its Sunday.
    m = re.fullmatch(
        r"(?:(?:early|late|later|earlier)(?: in)? )?(next|this|last|the|the coming|the previous|the following|coming|previous|following) week(?:end)?",
        t,
    )
    if m:
        if pub is None:
            return None
        delta = {
            "next": 7,
            "the coming": 7,
            "the following": 7,
            "coming": 7,
            "following": 7,
            "last": -7,
            "the previous": -7,
            "previous": -7,
        }.get(m.group(1), 0)
        monday = pub - timedelta(days=pub.weekday()) + timedelta(days=delta)
        sunday = monday + timedelta(days=6)
        past = delta < 0 or t.startswith("earlier")
        weekend = t.endswith("weekend")
        first = monday + timedelta(days=5) if weekend else monday
        return ResolvedDate(
            first.isoformat(), "week", f"'{t}': the week of the publication date, moved by its word", past, sunday.isoformat()
        )

    # Ranges of days: "March 3-5", "3-5 March", "from March 3 to 5", "between
    # March 30 and April 2", "March 3 through 5, 2024".
    rng = _day_range(t, pub, future)
    if rng is not None:
        return rng

    # Relative months and years: "next month", "later this year", "the end of the month".
    for unit in ("month", "year"):
        step = _relative_step(t, unit)
        if step is None:
            continue
        if pub is None:
            return None
        delta, modifier = step
        past = delta < 0 or modifier == "earlier"
        if unit == "month":
            y, mo = _add_months(pub.year, pub.month, delta)
            return _month(y, mo, f"'{t}' from the publication month", past)
        return _year(pub.year + delta, f"'{t}' from the publication year", past)

    # "March 3", "March 3, 2024", "3 March", "3 March 2024", "March 3rd".
    m = re.fullmatch(_MONTH_RE + r"\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?", t) or re.fullmatch(
        r"(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+" + _MONTH_RE + r"(?:,?\s+(\d{4}))?", t
    )
    if m:
        g = m.groups()
        if g[0].isdigit():
            day_n, mon, year = int(g[0]), MONTHS[g[1].rstrip(".")], g[2]
        else:
            mon, day_n, year = MONTHS[g[0].rstrip(".")], int(g[1]), g[2]
        if year:
            try:
                return _day(date(int(year), mon, day_n), "full date")
            except ValueError:
                return None
        if pub is None:
            return None
        return _nearest_day(pub, mon, day_n, future)

    # "March 2024", "early March", "late March", "mid-March", "March".
    m = re.fullmatch(
        r"(?:(early|late|mid|the end of|end of|the start of|start of|later|earlier)[- ]?(?:in )?)?"
        + _MONTH_RE
        + r"(?:,?\s+(?:of\s+)?(\d{4}))?",
        t,
    )
    if m:
        mon = MONTHS[m.group(2).rstrip(".")]
        if m.group(3):
            return _month(int(m.group(3)), mon, "month and year")
        if pub is None:
            return None
        if future:
            y = pub.year if mon >= pub.month else pub.year + 1
            return _month(y, mon, "next such month on or after publication")
        y = pub.year if mon <= pub.month else pub.year - 1
        return _month(y, mon, "last such month on or before publication (past tense)")

    # "2024", "in 2024", "early 2025".
    m = re.fullmatch(r"(?:(?:early|late|mid|the end of|end of|later|earlier)[- ]?)?(\d{4})", t)
    if m and 1800 <= int(m.group(1)) <= 2200:
        return _year(int(m.group(1)), "year")

    if _VAGUE.search(t):
        return None
    parsed = _dateparser(t, pub, future)
    if parsed is None:
        # "the summer of 2024", "the 2024 election season": the year at least.
        years = re.findall(r"\b(1[89]\d\d|2[01]\d\d)\b", t)
        if len(set(years)) == 1:
            return _year(int(years[0]), "year named in the text")
    return parsed


_RANGE_A = re.compile(  # March 3-5 | March 3 to 5 | March 30 - April 2 [, 2024]
    r"(?:from |between )?" + _MONTH_RE + r"\s+(\d{1,2})(?:st|nd|rd|th)?\s*(?:-|\u2013|to|through|until|and)\s*"
    r"(?:" + _MONTH_RE + r"\s+)?(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?"
)
_RANGE_B = re.compile(  # 3-5 March | 3 to 5 March | 30 March - 2 April [2024]
    r"(?:from |between )?(\d{1,2})(?:st|nd|rd|th)?(?:\s+" + _MONTH_RE + r")?\s*(?:-|\u2013|to|through|until|and)\s*"
    r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH_RE + r"(?:,?\s+(\d{4}))?"
)


def _day_range(t: str, pub: date | None, future: bool) -> ResolvedDate | None:
    m = _RANGE_A.fullmatch(t)
    if m:
        mon1, d1, mon2, d2, year = m.group(1), m.group(2), m.group(3) or m.group(1), m.group(4), m.group(5)
    else:
        m = _RANGE_B.fullmatch(t)
        if not m:
            return None
        d1, mon1, d2, mon2, year = m.group(1), m.group(2) or m.group(4), m.group(3), m.group(4), m.group(5)
    mo1, mo2 = MONTHS[mon1.rstrip(".")], MONTHS[mon2.rstrip(".")]
    if year:
        y1 = int(year) - (1 if mo1 > mo2 else 0)
        try:
            first, last = date(y1, mo1, int(d1)), date(int(year), mo2, int(d2))
        except ValueError:
            return None
        reason = "range of days, year given"
    else:
        if pub is None:
            return None
        start = _nearest_day(pub, mo1, int(d1), future)
        if start is None:
            return None
        first = date.fromisoformat(start.when)
        y2 = first.year + (1 if mo2 < mo1 else 0)
        try:
            last = date(y2, mo2, int(d2))
        except ValueError:
            return None
        reason = "range of days, year from the publication date"
    if last < first or (last - first).days > 62:
        return None
    return ResolvedDate(first.isoformat(), "day", reason, False, last.isoformat())


_NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "a few": 3}
_CHAINED = re.compile(
    r"(?:(?P<same>(?:the )?same day|that day|that same day)"
    r"|(?P<next>(?:the )?(?:following|next) day|(?:the )?day after(?: that)?)"
    r"|(?P<prev>(?:the )?(?:previous|preceding) day|(?:the )?day before(?: that)?|the eve)"
    r"|(?P<n>\d+|a|one|two|three|four|five|six|seven) (?P<unit>days?|weeks?) (?P<dir>later|after(?:wards)?|earlier|before))"
)


CHAINED_IN_TEXT = re.compile(r"\b(?:" + _CHAINED.pattern + r")\b", re.IGNORECASE)


def resolve_chained(text: str, anchor: date) -> ResolvedDate | None:
    """ "the following day", "two days later", "that day": a day counted from
    the date the article gave last (`anchor`), not from publication."""
    m = _CHAINED.fullmatch(_clean(text))
    if not m:
        return None
    if m.group("same"):
        delta = 0
    elif m.group("next"):
        delta = 1
    elif m.group("prev"):
        delta = -1
    else:
        n = int(m.group("n")) if m.group("n").isdigit() else _NUMBERS[m.group("n")]
        n *= 7 if m.group("unit").startswith("week") else 1
        delta = n if m.group("dir").startswith(("later", "after")) else -n
    return _day(anchor + timedelta(days=delta), f"'{_clean(text)}' counted from the date before it ({anchor.isoformat()})")


_DATELINE_DAY = re.compile(r"\b" + _MONTH_RE + r"\s+(\d{1,2})\b", re.IGNORECASE)


def dateline_day(text: str, pub: date) -> date | None:
    """The day a wire dateline gives ("WASHINGTON, Sept. 5 (AP) -"), when it is
    the publication day or up to three days before it."""
    m = _DATELINE_DAY.search(text)
    if not m:
        return None
    found = _nearest_day(pub, MONTHS[m.group(1).lower().rstrip(".")], int(m.group(2)), False)
    if found is None:
        return None
    day = date.fromisoformat(found.when)
    return day if 0 <= (pub - day).days <= 3 else None


def dateline_day_words(text: str) -> tuple[int, int] | None:
    """Where in a dateline the day `dateline_day` reads is written ("Sept. 5")."""
    m = _DATELINE_DAY.search(text)
    return (m.start(), m.end()) if m else None


def _nearest_day(pub: date, mon: int, day_n: int, future: bool) -> ResolvedDate | None:
    for y in (pub.year, pub.year + 1) if future else (pub.year, pub.year - 1):
        try:
            d = date(y, mon, day_n)
        except ValueError:
            continue
        if (future and d >= pub) or (not future and d <= pub):
            return _day(d, "month and day, year from the publication date")
    return None


def _dateparser(t: str, pub: date | None, future: bool) -> ResolvedDate | None:
    """Absolute dates in other forms; only when the text names a year or a month."""
    has_year = re.search(r"\b\d{4}\b", t)
    has_month = re.search(r"\b" + _MONTH_RE + r"\b", t)
    if not (has_year or (has_month and pub)):
        return None
    try:
        import dateparser
    except ImportError:  # pragma: no cover - pinned dependency
        return None
    from datetime import datetime

    settings: dict[str, Any] = {
        "PREFER_DATES_FROM": "future" if future else "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "REQUIRE_PARTS": ["year"] if not pub else [],
    }
    if pub:
        settings["RELATIVE_BASE"] = datetime(pub.year, pub.month, pub.day)
    try:
        parsed = dateparser.parse(t, languages=["en"], settings=settings)
    except Exception:
        return None
    if parsed is None:
        return None
    digits_day = re.search(r"\b\d{1,2}(?:st|nd|rd|th)?\b", re.sub(r"\b\d{4}\b", "", t))
    if has_month and digits_day:
        return _day(parsed.date(), "dateparser")
    if has_month:
        return _month(parsed.year, parsed.month, "dateparser (month)")
    return _year(parsed.year, "dateparser (year)")


_DATE_EXPR = re.compile(
    r"\b(?:(?:next|last|this|early|late|later|earlier|mid)[- ](?:this |next |last )?)?(?:"
    r"\d{4}-\d{2}-\d{2}"
    r"|" + _MONTH_RE + r"\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH_RE + r"(?:\s+\d{4})?"
    r"|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"|(?:january|february|march|april|june|july|august|september|october|november|december)(?:\s+\d{4})?"
    r"|today|tomorrow|yesterday|week|month|year"
    r")\b",
    re.IGNORECASE,
)


def find_date_expressions(text: str) -> list[tuple[int, int]]:
    """Character spans of date expressions, for pipelines without NER.

    "may" alone is left out (the modal verb); "May 3" is found.
    """
    out = []
    for m in _DATE_EXPR.finditer(text):
        word = m.group(0).lower()
        if word in ("week", "month", "year"):
            continue  # bare words; "next week" matches with its modifier
        out.append((m.start(), m.end()))
    return out
