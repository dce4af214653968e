"""Adding to config.yaml from the app keeps the file as the user wrote it.

The diff of an addition is the new entry's lines only; comments, order,
blank lines and hand-wrapped lists survive any number of additions; a result
that would not validate, or a file changed since it was read, is not written.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from tui.config import load_config
from tui.config_edit import ChangedOnDisk, ConfigVersion, EditError, add_entry, add_to_config
from tui.inbox import Dismissed, dismissed_path, suggestion_key

ROOT = Path(__file__).resolve().parent.parent
RUIZ = {"name": "Tom Reyes", "aliases": ["Reyes", "Envoy Reyes"], "role": "envoy", "side": "Freedonia"}


def changes(old: str, new: str) -> list[tuple[str, list[str], list[str]]]:
    """(tag, old lines, new lines) of every block that differs."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    return [(tag, a[i1:i2], b[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


@pytest.fixture
def commented(tmp_path: Path) -> Path:
    """The shipped config (comments, hand-wrapped flow lists), with its seeds beside it."""
    path = tmp_path / "config.yaml"
    shutil.copy(ROOT / "config.yaml", path)
    return path


def test_the_diff_of_an_addition_is_only_the_new_entry(commented):
    before = commented.read_text(encoding="utf-8")
    entry = {
        "name": "Daniel Kritenbrink", "aliases": ["Kritenbrink"], "role": "Assistant Secretary", "side": "United States"
    }
    saved = add_to_config(commented, ConfigVersion.read(commented), "actors", entry)
    after = commented.read_text(encoding="utf-8")
    assert after == saved.text
    ((tag, removed, added),) = changes(before, after)
    assert tag == "insert" and removed == []
    assert added == [
        "  - name: Daniel Kritenbrink\n",
        "    aliases: [Kritenbrink]\n",
        "    role: Assistant Secretary\n",
        "    side: United States\n",
    ]
    actors = load_config(commented).config.actors
    assert actors[-1].name == "Daniel Kritenbrink" and actors[-1].side == "United States"
    assert saved.backup.read_text(encoding="utf-8") == before


def test_ten_add_and_dismiss_rounds_leave_the_rest_of_a_commented_config_unchanged(commented, tmp_path):
    before = commented.read_text(encoding="utf-8")
    dismissed = Dismissed.load(dismissed_path(commented))
    added: list[str] = []
    for n in range(10):
        entry = {"name": f"Envoy Number{n}", "aliases": [f"Number{n}"], "role": "envoy", "side": "China"}
        add_to_config(commented, ConfigVersion.read(commented), "actors", entry)
        added += [f"  - name: Envoy Number{n}\n", f"    aliases: [Number{n}]\n"]
        added += ["    role: envoy\n", "    side: China\n"]
        text_before_dismiss = commented.read_bytes()
        assert dismissed.add(suggestion_key(f"Someone Else{n}")) is None
        assert commented.read_bytes() == text_before_dismiss  # a dismissal is user state, never config
    after = commented.read_text(encoding="utf-8")
    ((tag, removed, inserted),) = changes(before, after)
    assert tag == "insert" and removed == [] and inserted == added
    assert [a.name for a in load_config(commented).config.actors][-10:] == [f"Envoy Number{n}" for n in range(10)]
    assert len(Dismissed.load(dismissed_path(commented)).keys) == 10


def test_the_first_entry_of_an_empty_list_written_by_tui_init(tmp_path):
    from tui.cli import main

    assert main(["init", "India", "Pakistan", "--config", str(tmp_path / "config.yaml")]) == 0
    path = tmp_path / "config.yaml"
    before = path.read_text(encoding="utf-8")
    entry = {"name": "Ishaq Dar", "aliases": ["Dar"], "role": "Foreign Minister", "side": "Pakistan"}
    add_to_config(path, ConfigVersion.read(path), "actors", entry)
    ((tag, removed, added),) = changes(before, path.read_text(encoding="utf-8"))
    assert removed == ["actors: []\n"]
    assert added == ["actors:\n", "  - name: Ishaq Dar\n", "    aliases: [Dar]\n",
                     "    role: Foreign Minister\n", "    side: Pakistan\n"]
    assert load_config(path).config.actors[0].name == "Ishaq Dar"


def test_a_file_changed_since_it_was_read_is_not_written_unless_the_user_says_so(commented):
    base = ConfigVersion.read(commented)
    theirs = commented.read_text(encoding="utf-8").replace("as_of: latest ", "as_of: today  ", 1)
    commented.write_text(theirs, encoding="utf-8")  # the user's editor saved meanwhile
    with pytest.raises(ChangedOnDisk):
        add_to_config(commented, base, "actors", RUIZ | {"side": "China"})
    assert commented.read_text(encoding="utf-8") == theirs
    add_to_config(commented, base, "actors", RUIZ | {"side": "China"}, force=True)  # "add to it as it is now"
    now = commented.read_text(encoding="utf-8")
    assert "as_of: today" in now and "  - name: Tom Reyes\n" in now


def test_an_entry_that_would_not_validate_is_one_line_and_nothing_is_written(commented):
    before = commented.read_bytes()
    with pytest.raises(EditError) as err:
        add_to_config(commented, ConfigVersion.read(commented), "actors", RUIZ | {"side": "Chna"})
    assert "is not a party; did you mean 'China'?" in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(EditError, match="names both"):
        add_to_config(commented, None, "actors", RUIZ | {"side": "China", "aliases": ["Beijing"]})
    assert commented.read_bytes() == before
    assert not commented.with_name("config.yaml.bak").exists()


@pytest.mark.parametrize(
    "text, expected_tail",
    [
        # items not indented under their key, a trailing comment kept after the new entry
        ("relation: {name: A - B}\nparties:\n- name: A\n- name: B\nactors:\n- name: X\n  side: A\n# end\n",
         "- name: X\n  side: A\n- name: Tom Reyes\n"),
        # no actors key at all: one is added at the end
        ("relation: {name: A - B}\nparties:\n  - name: A\n  - name: B\n", "actors:\n  - name: Tom Reyes\n"),
    ],
)
def test_other_layouts(text, expected_tail):
    new = add_entry(text, "actors", RUIZ | {"side": "A"})
    assert new.startswith(text.split("# end")[0].rstrip("\n")) and expected_tail in new


def test_crlf_and_a_byte_order_mark_are_kept():
    text = "\ufeffrelation:\r\n  name: A - B\r\nparties:\r\n  - name: A\r\n  - name: B\r\nactors:\r\n  - name: X\r\n"
    new = add_entry(text, "actors", {"name": "Tom Reyes"})
    assert new == text + "  - name: Tom Reyes\r\n"


def test_a_one_line_list_is_refused_in_one_line():
    text = "relation: {name: A - B}\nparties: [{name: A}, {name: B}]\nactors: [{name: X}]\n"
    with pytest.raises(EditError, match=r"one \[\.\.\.\] list"):
        add_entry(text, "actors", {"name": "Tom Reyes"})


def test_ten_issue_add_and_dismiss_rounds_leave_the_rest_of_a_commented_config_unchanged(commented):
    from tui.inbox import issue_suggestion_key

    before = commented.read_text(encoding="utf-8")
    dismissed = Dismissed.load(dismissed_path(commented))
    added: list[str] = []
    for n in range(10):
        entry = {"id": f"dispute-{n}", "label": f"Dispute {n}", "patterns": [f"quarry {n}", f"quarries {n}"]}
        add_to_config(commented, ConfigVersion.read(commented), "issues", entry)
        added += [f"  - id: dispute-{n}\n", f"    label: Dispute {n}\n", f"    patterns: [quarry {n}, quarries {n}]\n"]
        text_before_dismiss = commented.read_bytes()
        assert dismissed.add(issue_suggestion_key(f"grazing right {n}")) is None
        assert commented.read_bytes() == text_before_dismiss
    after = commented.read_text(encoding="utf-8")
    ((tag, removed, inserted),) = changes(before, after)
    assert tag == "insert" and removed == [] and inserted == added
    assert [i.id for i in load_config(commented).config.issues][-10:] == [f"dispute-{n}" for n in range(10)]
    assert Dismissed.load(dismissed_path(commented)).keys == {f"issue:grazing right {n}" for n in range(10)}
