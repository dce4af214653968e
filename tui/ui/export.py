"""What is on screen, written out: a Markdown briefing and a CSV table.

Both take the rows the panes show (their filter, order and toggles applied),
with every column in full (`Row.values`), not cut to the pane's width.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from tui.ui.view import COLUMNS, KINDS, PANE_TITLES, Row, clean


def _cell(value: str) -> str:
    """A Markdown table cell: pipes escaped, nothing the renderer would read as markup."""
    text = clean(value).replace("\\", "\\\\").replace("|", "\\|")
    for char in "*_`[]<>#":
        text = text.replace(char, "\\" + char)
    return text


def markdown(snapshot: Any, rows: Mapping[str, Sequence[Row]], now: datetime) -> str:
    """A briefing: the relation, the as-of date, then one table a pane."""
    read = sum(1 for d in snapshot.documents if d.status == "ok")
    lines = [
        f"# {_cell(snapshot.relation)}",
        "",
        f"As of {snapshot.as_of or 'unknown'}, from {read} article{'s' if read != 1 else ''}; "
        f"written {now:%Y-%m-%d %H:%M}.",
    ]
    for kind in KINDS:
        shown = rows.get(kind, ())
        columns = COLUMNS[kind]
        lines += ["", f"## {PANE_TITLES[kind]} ({len(shown)})", ""]
        if not shown:
            lines.append("None shown.")
            continue
        lines.append("| " + " | ".join(c.label for c in columns) + " |")
        lines.append("|" + "|".join("---:" if c.key == "mentions" else "---" for c in columns) + "|")
        for row in shown:
            values = list(row.values) + [""] * (len(columns) - len(row.values))
            lines.append("| " + " | ".join(_cell(v) for v in values[: len(columns)]) + " |")
    return "\n".join(lines) + "\n"


def csv_text(rows: Mapping[str, Sequence[Row]]) -> str:
    """One table for every pane: `pane`, `id`, then each pane's own columns
    under their names (a column another pane lacks stays empty)."""
    header = ["pane", "id"]
    for kind in KINDS:
        for column in COLUMNS[kind]:
            name = f"{kind}_{column.key}"
            if name not in header:
                header.append(name)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for kind in KINDS:
        for row in rows.get(kind, ()):
            record = dict.fromkeys(header, "")
            record["pane"], record["id"] = kind, row.key
            for column, value in zip(COLUMNS[kind], row.values, strict=False):
                text = clean(value)
                # a cell a spreadsheet would run as a formula stays text
                record[f"{kind}_{column.key}"] = "'" + text if text[:1] in ("=", "+", "-", "@") else text
            writer.writerow([record[name] for name in header])
    return out.getvalue()
