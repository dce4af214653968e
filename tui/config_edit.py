"""Adding an entry to config.yaml from the app, keeping the file as the user wrote it.

ruamel.yaml reads the file's structure (where the `actors:` or `issues:` list
is, where its last item ends, how its items are indented) and writes the new
entry; the entry's lines are then spliced into the original text, so every
other byte (comments, order, blank lines, quoting, the layout of long flow
lists) stays as it was. A full ruamel round trip would not do: it re-flows
`verbs: [...]` lists written over several lines.

Before the file is replaced the result must (1) read back, with PyYAML, as
the old data plus exactly the new entry, and (2) validate as a config
(`parse_config`). The previous version is kept as `config.yaml.bak`, the new
one written to a temporary file and renamed over the old (`os.replace`). If
the file changed since the app read it, nothing is written: the caller asks
the user first (`ChangedOnDisk`).
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tui.config import MAX_CONFIG_BYTES, ConfigError, parse_config

BOM = "\ufeff"
SECTIONS = ("actors", "issues")


class EditError(Exception):
    """Why the config was not changed, as one line."""


class ChangedOnDisk(EditError):
    """The file is not what the app read: someone (an editor) changed it meanwhile."""


@dataclass(frozen=True)
class ConfigVersion:
    """The config's bytes as read, to tell later whether it changed."""

    path: Path
    data: bytes
    mtime_ns: int

    @classmethod
    def read(cls, path: Path) -> ConfigVersion:
        try:
            stat = path.stat()
            with path.open("rb") as fh:
                data = fh.read(MAX_CONFIG_BYTES + 1)
        except OSError as exc:
            raise EditError(f"{path}: cannot read: {exc.strerror or exc}") from None
        return cls(path, data, stat.st_mtime_ns)

    def text(self) -> str:
        try:
            return self.data.decode("utf-8")
        except UnicodeDecodeError:
            raise EditError(f"{self.path}: not valid UTF-8 text; fix it in an editor first") from None


@dataclass(frozen=True)
class Saved:
    path: Path
    backup: Path
    text: str  # what the file holds now


def _ruamel() -> Any:
    from ruamel.yaml import YAML

    rt = YAML(typ="rt")
    rt.width = 4096  # never wrap the entry's lines
    return rt


def render_entry(entry: dict[str, Any], dash_col: int, key_col: int, newline: str = "\n") -> list[str]:
    """The entry as block-sequence lines: `- name: ...` at `dash_col`, its keys
    at `key_col`; lists in flow style (`aliases: [a, b]`), quoted as ruamel
    quotes them."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    node = CommentedMap()
    for key, value in entry.items():
        if isinstance(value, list):
            seq = CommentedSeq(value)
            seq.fa.set_flow_style()
            node[key] = seq
        else:
            node[key] = value
    buf = io.StringIO()
    _ruamel().dump(node, buf)
    body = buf.getvalue().splitlines()
    lines = []
    for i, line in enumerate(body):
        if i == 0:
            lines.append(" " * dash_col + "-" + " " * (key_col - dash_col - 1) + line + newline)
        else:
            lines.append(" " * key_col + line + newline)
    return lines


def _is_content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _item_style(doc: Any, lines: list[str]) -> tuple[int, int] | None:
    """(dash column - key column, item key column - dash column) of the first
    block list of mappings in the file (parties, usually), to copy its style."""
    for key in ("parties", *SECTIONS):
        seq = doc.get(key) if hasattr(doc, "get") else None
        if seq is None or not hasattr(seq, "lc") or not len(seq) or seq.fa.flow_style():
            continue
        key_line, key_col = doc.lc.key(key)
        line, col = seq.lc.item(0)
        dash = lines[line].rfind("-", 0, col)
        if dash >= 0:
            return dash - key_col, col - dash
    return None


def _any(value: Any) -> Any:
    """ruamel's CommentedSeq, typed as what it is to us: a list with positions."""
    return value


def add_entry(text: str, section: str, entry: dict[str, Any]) -> str:
    """`text` with `entry` appended to its `section` list, nothing else changed.

    Raises EditError where the file's shape leaves no safe place for it."""
    if section not in SECTIONS:
        raise EditError(f"cannot add to '{section}'")
    bom = BOM if text.startswith(BOM) else ""
    text = text[len(bom) :]
    newline = "\r\n" if "\r\n" in text else "\n"
    try:
        doc = _ruamel().load(text)
    except Exception as exc:  # ruamel's errors are many classes; the user needs one line
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise EditError(f"the config cannot be read for editing: {first}") from None
    if not hasattr(doc, "lc") or not hasattr(doc, "get"):
        raise EditError("the config is not a mapping of keys")
    lines = text.splitlines(keepends=True)
    style = _item_style(doc, lines) or (2, 2)
    if section not in doc:
        if lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += newline
        lines.append(f"{section}:{newline}")
        lines += render_entry(entry, style[0], style[0] + style[1], newline)
        return bom + "".join(lines)
    key_line, key_col = doc.lc.key(section)
    seq = doc[section]
    if seq is None or (isinstance(seq, list) and not seq):  # `actors: []` (an empty list is never a block)
        head = lines[key_line]
        ending = head[len(head.rstrip("\r\n")) :] or newline
        m = re.match(rf"^(\s*{re.escape(section)}\s*:)\s*(?:\[\s*\]|null|~)?\s*(#.*)?$", head.rstrip("\r\n"))
        if m is None:
            raise EditError(f"'{section}:' is followed by something tui cannot add to; add the entry in an editor")
        lines[key_line] = m.group(1) + (f"  {m.group(2)}" if m.group(2) else "") + ending
        dash = key_col + style[0]
        new = render_entry(entry, dash, dash + style[1], newline)
        return bom + "".join(lines[: key_line + 1] + new + lines[key_line + 1 :])
    if not hasattr(seq, "lc") or not isinstance(seq, list):
        raise EditError(f"'{section}' is not a list; fix it in an editor first")
    seq = _any(seq)
    if seq.fa.flow_style():
        raise EditError(f"'{section}' is written as one [...] list; write it one entry a line to add from tui")
    line, col = seq.lc.item(len(seq) - 1)
    dash = lines[line].rfind("-", 0, col + 1)
    if dash < 0:
        raise EditError(f"cannot find where '{section}' ends; add the entry in an editor")
    item_col = col if isinstance(seq[-1], dict) else dash + style[1]
    last = line
    for j in range(line + 1, len(lines)):
        if not _is_content(lines[j]):
            continue
        if _indent(lines[j]) > dash:
            last = j
            continue
        break
    if not lines[last].endswith(("\n", "\r")):
        lines[last] += newline
    new = render_entry(entry, dash, item_col, newline)
    return bom + "".join(lines[: last + 1] + new + lines[last + 1 :])


def _check_only_added(old: str, new: str, section: str, entry: dict[str, Any]) -> None:
    """The new text must mean the old one plus the entry: a splice in the wrong
    place (inside a block scalar, say) is caught here, not written."""
    try:
        before = yaml.safe_load(old.lstrip(BOM))
        after = yaml.safe_load(new.lstrip(BOM))
    except yaml.YAMLError as exc:
        raise EditError(f"the edited config would not read back ({type(exc).__name__}); nothing written") from None
    expected = dict(before)
    expected[section] = list(before.get(section) or []) + [entry]
    if after != expected:
        raise EditError("the edited config would differ from the old one by more than the new entry; nothing written")


def add_to_config(
    path: Path, base: ConfigVersion | None, section: str, entry: dict[str, Any], *, force: bool = False
) -> Saved:
    """Append `entry` to `section` of the config at `path`, safely.

    `base` is the version the user's edit started from: if the file differs
    now, ChangedOnDisk is raised (unless `force`: the user said to add to the
    file as it is now). Raises EditError (or ChangedOnDisk) with one line."""
    current = ConfigVersion.read(path)
    if base is not None and not force and current.data != base.data:
        raise ChangedOnDisk(f"{path} was changed outside tui since it was read")
    old = current.text()
    new = add_entry(old, section, entry)
    _check_only_added(old, new, section, entry)
    try:
        parse_config(new.lstrip(BOM), path)
    except ConfigError as exc:
        raise EditError(f"not saved: {exc}") from None
    backup = path.with_name(path.name + ".bak")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        mode = path.stat().st_mode & 0o7777
        _write(backup.with_name(backup.name + ".tmp"), current.data, mode)
        os.replace(backup.with_name(backup.name + ".tmp"), backup)
        _write(tmp, new.encode("utf-8"), mode)
        os.replace(tmp, path)
    except OSError as exc:
        for leftover in (tmp, backup.with_name(backup.name + ".tmp")):
            try:
                leftover.unlink()
            except OSError:
                pass
        raise EditError(f"{path}: cannot write: {exc.strerror or exc}") from None
    return Saved(path, backup, new)


def _write(path: Path, data: bytes, mode: int) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(path, mode)
