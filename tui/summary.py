"""A readable plain-text summary of a Snapshot, for `tui extract` without --json."""

from __future__ import annotations

from tui.extract.models import Snapshot


def _when(e) -> str:
    if e.when:
        return e.when
    return f'"{e.when_text}"' if e.when_text else "date unknown"


def text_summary(snapshot: Snapshot) -> str:
    ok = [d for d in snapshot.documents if d.status == "ok"]
    skipped = [d for d in snapshot.documents if d.status != "ok"]
    lines = [
        f"{snapshot.relation}: {len(ok)} article(s) read, {len(skipped)} skipped; as of {snapshot.as_of or 'unknown'}",
        f"pipeline: {snapshot.pipeline}",
    ]
    for d in skipped:
        lines.append(f"  skipped {d.id}: {d.reason}")
    lines.append("")
    lines.append(f"ACTORS ({len(snapshot.actors)})")
    for a in snapshot.actors:
        role = f", {a.role}" if a.role else ""
        side = a.side or "-"
        lines.append(f"  {a.mentions:>4}  {a.name}{role} [{side}] ({a.kind})")
    lines.append("")
    upcoming = [e for e in snapshot.engagements if e.upcoming]
    past = [e for e in snapshot.engagements if not e.upcoming]
    lines.append(f"UPCOMING ENGAGEMENTS ({len(upcoming)}; {len(past)} past)")
    for e in upcoming:
        where = f" in {e.where}" if e.where else ""
        lines.append(f"  {_when(e):<12} {e.status:<9} {' / '.join(e.participants) or '?'}: {e.what}{where}")
    lines.append("")
    lines.append(f"DISPUTED ISSUES ({len(snapshot.issues)})")
    for i in snapshot.issues:
        by = f" raised by {', '.join(i.actors[:4])}" if i.actors else ""
        lines.append(f"  {i.mentions:>4}  {i.label}{by}")
    lines.append("")
    lines.append(f"RECENT QUOTES ({len(snapshot.quotes)})")
    for q in snapshot.quotes:
        text = q.text if len(q.text) <= 100 else q.text[:99] + "\u2026"
        lines.append(f"  {q.published or '????-??-??'} {q.speaker or 'unknown'}: \u201c{text}\u201d")
    return "\n".join(lines) + "\n"
