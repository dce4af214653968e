"""Hostile config.yaml: generated mutations of the shipped config.

Each mutation is either accepted (it is still a valid config) or rejected by
`tui extract` with a non-zero exit status and exactly one stderr line
`tui: FILE:LINE: KEY: message`, where LINE is the line of KEY in the file.
Nothing in the file is ever executed. Seeds are fixed (`derandomize=True`).
"""

from __future__ import annotations

import copy
import io
import json
import re
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.cli import main
from tui.config import MAX_CONFIG_BYTES, ConfigError, load_config

SHIPPED = Path(__file__).resolve().parents[1] / "config.yaml"
BASE: dict[str, Any] = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))

FAST = settings(
    derandomize=True,
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# --- helpers ----------------------------------------------------------------


def run_extract(config: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        rc = main(["extract", "--config", str(config), "--no-cache", "--quiet"])
    return rc, out.getvalue(), err.getvalue()


def dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False)


_TOKEN = re.compile(r"\[(\d+)\]|([^.\[]+)")


def parse_loc(text: str) -> tuple[Any, ...]:
    """'actors[2].side' -> ('actors', 2, 'side')."""
    return tuple(int(i) if i else key for i, key in _TOKEN.findall(text))


def line_of(text: str, loc: tuple[Any, ...]) -> int:
    """The line of `loc` in YAML `text`, or of its nearest ancestor present:
    an independent oracle for the line an error message should name."""
    node = yaml.compose(text)
    line = node.start_mark.line + 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == part:
                    line, node = key_node.start_mark.line + 1, value_node
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) \
                and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def loc_text(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


ERROR_LINE = re.compile(r"tui: (?P<file>.+?):(?P<line>\d+): (?P<key>.+?): (?P<msg>.+)")


def assert_rejected(config: Path, expect_loc: tuple[Any, ...] | None = None,
                    expect_line: int | None = None) -> re.Match[str]:
    """`tui extract` refuses the file with one line naming file, line and key."""
    text = config.read_text(encoding="utf-8", errors="replace")
    rc, out, err = run_extract(config)
    assert rc != 0, f"accepted a bad config:\n{text[:2000]}"
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1, f"not one line: {err!r}"
    assert "Traceback" not in err
    m = ERROR_LINE.fullmatch(err.rstrip("\n"))
    assert m, f"no 'file:line: key: message' in {err!r}"
    assert m["file"] == str(config)
    line = int(m["line"])
    assert 1 <= line <= max(1, text.count("\n") + 1)
    if expect_loc is not None:
        assert m["key"].startswith(loc_text(expect_loc)), (m["key"], expect_loc, err)
        assert line == line_of(text, parse_loc(m["key"])), err
    if expect_line is not None:
        assert line == expect_line, err
    return m


# --- mutations on the parsed config -----------------------------------------

REQUIRED = [
    ("relation",), ("relation", "name"), ("parties",), ("parties", 0, "name"),
    ("parties", 1, "name"), ("actors", 3, "name"), ("actors", 10, "name"),
    ("issues", 0, "id"), ("issues", 4, "label"), ("issues", 8, "patterns"),
]
OPTIONAL = [
    ("model",), ("seeds",), ("actors",), ("issues",), ("engagements",), ("quotes",),
    ("relation", "as_of"), ("actors", 2, "role"), ("actors", 5, "side"), ("actors", 9, "kind"),
    ("actors", 1, "aliases"), ("parties", 0, "color"), ("quotes", "verbs"),
]


def all_paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            out += all_paths(value, prefix + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += all_paths(value, prefix + (i,))
    return out


PATHS = all_paths(BASE)


def get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def put(data: Any, path: tuple[Any, ...], value: Any) -> None:
    get(data, path[:-1])[path[-1]] = value


def fresh() -> Any:
    return copy.deepcopy(BASE)


def wrong_type_for(value: Any) -> list[Any]:
    """Values of a type the key never accepts."""
    if isinstance(value, dict):
        return [["a", "list"], 42, "text"]
    if isinstance(value, list):
        return [{"a": 1}, 42, 3.5]
    if isinstance(value, bool) or isinstance(value, (int, float)):
        return [["a"], {"b": 1}, "many"]
    return [["a", "list"], {"a": "mapping"}]


hostile_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=30
)


@FAST
@given(path=st.sampled_from(PATHS), data=st.data())
def test_wrong_type_anywhere_is_named(tmp_path: Path, path, data) -> None:
    cfg = fresh()
    bad = data.draw(st.sampled_from(wrong_type_for(get(cfg, path))))
    put(cfg, path, bad)
    target = tmp_path / "config.yaml"
    target.write_text(dump(cfg), encoding="utf-8")
    assert_rejected(target, expect_loc=path)


@FAST
@given(path=st.sampled_from(REQUIRED))
def test_missing_required_key_is_named(tmp_path: Path, path) -> None:
    cfg = fresh()
    del get(cfg, path[:-1])[path[-1]]
    target = tmp_path / "config.yaml"
    target.write_text(dump(cfg), encoding="utf-8")
    assert_rejected(target, expect_loc=path)


@FAST
@given(path=st.sampled_from(OPTIONAL))
def test_missing_optional_key_is_accepted(tmp_path: Path, path) -> None:
    cfg = fresh()
    del get(cfg, path[:-1])[path[-1]]
    target = tmp_path / "config.yaml"
    target.write_text(dump(cfg), encoding="utf-8")
    loaded = load_config(target)
    assert loaded.config.relation.name == BASE["relation"]["name"]


MAPPINGS = [()] + [p for p in PATHS if isinstance(get(BASE, p), dict)]


@FAST
@given(where=st.sampled_from(MAPPINGS), key=hostile_text)
def test_unknown_key_is_named(tmp_path: Path, where, key) -> None:
    cfg = fresh()
    parent = get(cfg, where)
    if key.strip() in parent or key in parent:
        key = key + "_extra"
    parent[key] = "value"
    target = tmp_path / "config.yaml"
    target.write_text(dump(cfg), encoding="utf-8")
    m = assert_rejected(target)
    # The key is named where it is, and never breaks the one-line message.
    assert "unknown key" in m["msg"]
    assert "\x1b" not in m.group(0)


@FAST
@given(src=st.integers(0, 10), dst=st.integers(0, 10),
       case=st.sampled_from(["same", "upper", "lower"]))
def test_duplicate_actor_names_are_reported(tmp_path: Path, src, dst, case) -> None:
    if src == dst:
        dst = (dst + 1) % 11
    cfg = fresh()
    name = cfg["actors"][src]["name"]
    cfg["actors"][dst]["name"] = {"same": name, "upper": name.upper(), "lower": name.lower()}[case]
    target = tmp_path / "config.yaml"
    target.write_text(dump(cfg), encoding="utf-8")
    m = assert_rejected(target, expect_loc=("actors", max(src, dst), "name"))
    assert "duplicate actor" in m["msg"]
    assert f"actors[{min(src, dst)}]" in m["msg"]


OWNERS = [("actors", i) for i in range(11)] + [("parties", 0), ("parties", 1)]


@FAST
@given(a=st.sampled_from(OWNERS), b=st.sampled_from(OWNERS), data=st.data())
def test_alias_shared_by_two_is_reported_not_resolved(tmp_path: Path, a, b, data) -> None:
    if a == b:
        return
    cfg = fresh()
    owner_a, owner_b = get(cfg, a), get(cfg, b)
    names_a = [owner_a["name"], *owner_a.get("aliases", [])]
    alias = data.draw(st.sampled_from(names_a))
    owner_b.setdefault("aliases", []).append(alias)
    target = tmp_path / "config.yaml"
    target.write_text(dump(cfg), encoding="utf-8")
    m = assert_rejected(target)
    # Both claimants are named, so the user chooses; nothing is picked at random.
    assert owner_a["name"] in m["msg"] and owner_b["name"] in m["msg"], m.group(0)
    again = assert_rejected(target)
    assert again.group(0) == m.group(0)


@FAST
@given(actor=st.integers(0, 10), side=hostile_text)
def test_actor_side_not_a_party(tmp_path: Path, actor, side) -> None:
    if side.strip() in ("United States", "China", "other") or not side.strip():
        side = "Chna"
    cfg = fresh()
    cfg["actors"][actor]["side"] = side
    target = tmp_path / "config.yaml"
    target.write_text(dump(cfg), encoding="utf-8")
    m = assert_rejected(target, expect_loc=("actors", actor, "side"))
    assert "is not a party" in m["msg"]


def test_side_near_miss_suggests_the_party(tmp_path: Path) -> None:
    cfg = fresh()
    cfg["actors"][4]["side"] = "Chna"
    target = tmp_path / "config.yaml"
    target.write_text(dump(cfg), encoding="utf-8")
    m = assert_rejected(target, expect_loc=("actors", 4, "side"))
    assert "did you mean 'China'" in m["msg"]


EMPTY_REJECTED = [
    ("parties",), ("issues", 2, "patterns"), ("engagements", "cues"), ("quotes", "verbs"),
]
EMPTY_ACCEPTED = [("actors",), ("issues",), ("actors", 0, "aliases"), ("parties", 1, "aliases")]


@FAST
@given(path=st.sampled_from(EMPTY_REJECTED + EMPTY_ACCEPTED))
def test_empty_lists(tmp_path: Path, path) -> None:
    cfg = fresh()
    put(cfg, path, [])
    target = tmp_path / "config.yaml"
    target.write_text(dump(cfg), encoding="utf-8")
    if path in EMPTY_REJECTED:
        assert_rejected(target, expect_loc=path)
    else:
        assert load_config(target).config.relation.name


# --- mutations on the text --------------------------------------------------

SHIPPED_TEXT = SHIPPED.read_text(encoding="utf-8")
SHIPPED_LINES = SHIPPED_TEXT.splitlines(keepends=True)
KEY_LINES = [i for i, line in enumerate(SHIPPED_LINES) if re.match(r"\s*-?\s*\w[\w ]*:\s", line)]
INDENTED = [i for i in KEY_LINES if SHIPPED_LINES[i].startswith("  ")]


def _break_line(line: str, how: str) -> str:
    body = line.rstrip("\n")
    if how == "colon":
        return re.sub(r"\s+#.*$", "", body) + " stray: colon\n"
    if how == "flow":
        return re.sub(r":(\s.*)?$", ": [unclosed, flow", body) + "\n"
    if how == "quote":
        return re.sub(r":(\s.*)?$", ': "unclosed', body) + "\n"
    return re.sub(r":(\s.*)?$", ": }", body) + "\n"


@FAST
@given(index=st.sampled_from(KEY_LINES), how=st.sampled_from(["colon", "flow", "quote", "brace"]))
def test_invalid_yaml_names_file_and_line(tmp_path: Path, index, how) -> None:
    lines = list(SHIPPED_LINES)
    lines[index] = _break_line(lines[index], how)
    target = tmp_path / "config.yaml"
    target.write_text("".join(lines), encoding="utf-8")
    m = assert_rejected(target)
    if how == "quote":
        return  # the string may close at a later quote: still one clear line
    assert "invalid YAML" in m["msg"]
    # An unclosed bracket or quote is only noticed where it ends; the others
    # are named on the broken line itself, with the key written on it.
    if how in ("colon", "brace"):
        assert int(m["line"]) == index + 1
        assert line_of(SHIPPED_TEXT, parse_loc(m["key"])) == index + 1, m.group(0)
    else:
        assert int(m["line"]) >= index + 1


@FAST
@given(index=st.sampled_from(INDENTED), width=st.integers(1, 3))
def test_tab_indentation_names_the_line(tmp_path: Path, index, width) -> None:
    lines = list(SHIPPED_LINES)
    lines[index] = "\t" * width + lines[index].lstrip(" ")
    target = tmp_path / "config.yaml"
    target.write_text("".join(lines), encoding="utf-8")
    m = assert_rejected(target)
    assert int(m["line"]) == index + 1
    assert "tab" in m["msg"]
    assert line_of(SHIPPED_TEXT, parse_loc(m["key"])) == index + 1, m.group(0)


TAGS = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/apply:subprocess.check_output [['touch', '{marker}']]",
    "!!python/object/new:pathlib.Path ['{marker}']",
    "!!python/name:os.system",
    "!!python/module:os",
    "!custom {{a: 1}}",
]


@FAST
@given(path=st.sampled_from([p for p in PATHS if not isinstance(get(BASE, p), (dict, list))]),
       tag=st.sampled_from(TAGS))
def test_yaml_tags_are_never_executed(tmp_path: Path, path, tag) -> None:
    marker = tmp_path / "executed"
    cfg = fresh()
    sentinel = "SENTINEL-VALUE-1234"
    put(cfg, path, sentinel)
    text = dump(cfg).replace(sentinel, tag.format(marker=marker), 1)
    target = tmp_path / "config.yaml"
    target.write_text(text, encoding="utf-8")
    m = assert_rejected(target, expect_line=line_of(dump(cfg), path))
    assert m["key"] == loc_text(path)
    assert not marker.exists()


def test_ten_megabyte_config_is_refused_without_reading_it_as_yaml(tmp_path: Path) -> None:
    target = tmp_path / "config.yaml"
    padding = "# " + "x" * 98 + "\n"
    target.write_text(SHIPPED.read_text() + padding * (10 * 1024 * 1024 // len(padding)))
    assert target.stat().st_size > 10_000_000 > MAX_CONFIG_BYTES
    m = assert_rejected(target, expect_line=1)
    assert "too large" in m["msg"] and m["key"] == "(whole file)"


def test_nested_yaml_aliases_do_not_explode(tmp_path: Path) -> None:
    """A 'billion laughs' document is refused quickly, not expanded."""
    anchors = "".join(
        f"  - &a{i} [" + ", ".join([f"*a{i - 1}"] * 9 if i else ["l"] * 9) + "]\n"
        for i in range(9)
    )
    text = SHIPPED.read_text().replace(
        "issues:\n", "issues:\n  - id: bomb\n    label: Bomb\n    patterns:\n" +
        anchors.replace("  - ", "      - ") + "      - *a8\n", 1)
    target = tmp_path / "config.yaml"
    target.write_text(text)
    m = assert_rejected(target)
    assert m["key"].startswith("issues[0].patterns")


@pytest.mark.parametrize(
    "raw, what",
    [
        (b"", "empty"),
        (b"\n\n# only a comment\n", "empty"),
        (b"- a\n- list\n", "mapping"),
        (b"just text\n", "mapping"),
        (b"relation:\n  name: A\n  as_of: \xff\xfe broken\n", "UTF-8"),
        ("relation:\n  name: A\nrelation:\n  name: B\n".encode(), "duplicate key"),
        ("\ufeffrelation:\n  name: A\nparties: {}\n".encode(), "valid list"),
    ],
)
def test_degenerate_files(tmp_path: Path, raw: bytes, what: str) -> None:
    target = tmp_path / "config.yaml"
    target.write_bytes(raw)
    m = assert_rejected(target)
    assert what in m["msg"]
    if what == "UTF-8":
        assert (m["line"], m["key"]) == ("3", "relation.as_of")


# --- half-written saves -----------------------------------------------------


@FAST
@given(cut=st.integers(0, len(SHIPPED.read_bytes()) - 1))
def test_config_saved_half_written(tmp_path: Path, cut) -> None:
    """Any prefix of the file is either a valid config or one clear line."""
    target = tmp_path / "config.yaml"
    target.write_bytes(SHIPPED.read_bytes()[:cut])
    try:
        load_config(target)
    except ConfigError as exc:
        message = str(exc)
        assert "\n" not in message and message.startswith(f"{target}:")


# --- the real command, as a user runs it ------------------------------------


def test_tui_extract_subprocess_reports_one_line(tmp_path: Path) -> None:
    cfg = fresh()
    cfg["actors"][2]["side"] = "Chna"
    target = tmp_path / "config.yaml"
    target.write_text(dump(cfg), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "tui", "extract", "--json", "--config", str(target)],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode != 0
    assert proc.stdout == ""
    line = line_of(target.read_text(), ("actors", 2, "side"))
    assert proc.stderr == (
        f"tui: {target}:{line}: actors[2].side: 'Chna' is not a party; did you mean 'China'?\n"
    )


# --- config strings never carry control codes to the terminal ---------------

STRING_PATHS = [p for p in PATHS if isinstance(get(BASE, p), str)
                and p[-1] not in ("as_of", "model", "seeds", "kind", "id", "color")]
CONTROLS = ["\x1b[2J", "\x1b]0;pwned\x07", "\x9b31m", "\x00", "\r", "\x7f", "\x1b[?1049h"]


@FAST
@given(path=st.sampled_from(STRING_PATHS), control=st.sampled_from(CONTROLS),
       where=st.sampled_from(["start", "middle", "end"]))
def test_control_characters_in_config_strings_are_blanked(tmp_path: Path, path, control, where):
    cfg = fresh()
    value = get(cfg, path)
    half = len(value) // 2
    put(cfg, path, {"start": control + value, "middle": value[:half] + control + value[half:],
                    "end": value + control}[where])
    target = tmp_path / "config.yaml"
    target.write_text(dump(cfg), encoding="utf-8")
    try:
        loaded = load_config(target)
    except ConfigError as exc:  # e.g. an alias that now clashes: still one clean line
        assert "\n" not in str(exc) and "\x1b" not in str(exc)
        return
    shown = json.dumps(loaded.config.model_dump(mode="json"), ensure_ascii=False)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", shown), shown


def test_tui_extract_prints_no_control_codes_from_the_config(tmp_path: Path) -> None:
    cfg = fresh()
    cfg["relation"]["name"] = "United States \x1b[2J- China \x1b]0;pwned\x07"
    cfg["actors"][1]["role"] = "Secretary \x1b[31mof State"
    target = tmp_path / "config.yaml"
    target.write_text(dump(cfg), encoding="utf-8")
    shutil.copytree(SHIPPED.parent / "seeds", tmp_path / "seeds")
    rc, out, err = run_extract(target)
    assert rc == 0, err
    assert "\x1b" not in out and "\x07" not in out
    assert out.startswith("United States [2J- China ]0;pwned:")
    assert "Antony Blinken, Secretary [31mof State" in out
