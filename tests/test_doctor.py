"""`tui doctor`: what it reports, what it tells the user to fix, its exit status."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest

import tui.extract.pipeline as pipeline_module
from tui.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = next((ROOT / "seeds").glob("*.txt"))
_built: dict[str, object] = {}


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch):
    """A private cache folder, and the spaCy pipeline built once per model."""
    monkeypatch.setenv("TUI_CACHE_DIR", str(tmp_path / "cache"))
    real = pipeline_module.build_pipeline

    def build_once(config):
        key = config.model + repr(config.actors) + repr(config.parties)
        if key not in _built:
            _built[key] = real(config)
        return _built[key]

    monkeypatch.setattr(pipeline_module, "build_pipeline", build_once)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "config.yaml", tmp_path / "config.yaml")
    (tmp_path / "seeds").mkdir()
    shutil.copy(SAMPLE, tmp_path / "seeds" / SAMPLE.name)
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        rc = main(["doctor", *args])
    return rc, out.getvalue()


def line(report: str, check: str) -> str:
    return next(row for row in report.splitlines() if row.startswith(check))


def test_all_well(project: Path) -> None:
    rc, report = run("--config", str(project / "config.yaml"))
    assert rc == 0, report
    assert line(report, "config").split()[1] == "ok"
    assert "United States - China; 2 parties, 11 actors" in line(report, "config")
    pipe = line(report, "pipeline")
    assert pipe.split()[1] == "ok" and "en_core_web_sm" in pipe and "3.8.0" in pipe
    assert "spaCy 3." in pipe
    assert line(report, "seeds").endswith("1 file, 1 read, 0 skipped")
    assert "none yet" in line(report, "cache")
    assert report.rstrip().endswith("All checks passed.")


def test_cache_size_entries_and_schema_after_a_run(project: Path) -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["extract", "--quiet", "--config", str(project / "config.yaml")]) == 0
    rc, report = run("--config", str(project / "config.yaml"))
    cache = line(report, "cache")
    assert rc == 0
    assert "results.sqlite3: 1 entries" in cache and "schema 1" in cache, cache
    assert " kB" in cache or " MB" in cache


def test_damaged_cache_is_reported_and_rebuilt(project: Path, tmp_path: Path) -> None:
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "results.sqlite3").write_bytes(b"this is not a database" * 100)
    rc, report = run("--config", str(project / "config.yaml"))
    assert line(report, "cache").split()[1] == "note"
    assert "rebuilt it empty" in report
    assert rc == 0  # only a cache: slower, never wrong


def test_bad_config_names_line_and_fix(project: Path) -> None:
    config = project / "config.yaml"
    config.write_text(config.read_text().replace("side: China", "side: Chna", 1))
    rc, report = run("--config", str(config))
    assert rc == 1
    first = line(report, "config")
    assert first.split()[1] == "FAIL"
    number = first.split(f"{config}:")[1].split(":")[0]
    assert config.read_text().splitlines()[int(number) - 1].strip() == "side: Chna"
    assert "did you mean 'China'" in first
    assert f"fix: edit {config} at line {number}" in report
    assert "not checked" in line(report, "pipeline")
    assert "1 check failed: config" in report


def test_missing_config(tmp_path: Path) -> None:
    rc, report = run("--config", str(tmp_path / "nowhere.yaml"))
    assert rc == 1
    assert "no such config file" in line(report, "config")
    assert "--config" in report


def test_no_spacy_model_is_a_failure_with_the_install_command(project: Path) -> None:
    config = project / "config.yaml"
    text = config.read_text().replace("model: en_core_web_sm", "model: tui_no_such_model")
    config.write_text(text)
    rc, report = run("--config", str(config), "--no-cache")
    assert rc == 1
    pipe = line(report, "pipeline")
    assert pipe.split()[1] == "FAIL"
    assert "tui_no_such_model is not installed" in pipe and "rule-only" in pipe
    assert "fix: install the model named in config 'model: tui_no_such_model'" in report


def test_seed_problems_are_grouped_with_fixes(project: Path, monkeypatch) -> None:
    seeds = project / "seeds"
    for i in range(5):
        (seeds / f"empty {i}.txt").write_text("")
    (seeds / "photo.jpg").write_bytes(b"\xff\xd8")
    (seeds / ".DS_Store").write_bytes(b"\x00")
    (seeds / "locked.txt").write_text("Secret words.")
    (seeds / "esc\x1b[2Jname.bin").write_text("A name that would clear the screen.")
    real_open = Path.open

    def deny(self, *args, **kwargs):  # tests run as root: chmod cannot stop a read
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    rc, report = run("--config", str(project / "config.yaml"), "--no-cache")
    assert rc == 1
    assert line(report, "seeds").split()[1] == "FAIL"
    assert line(report, "seeds").endswith("10 files, 1 read, 9 skipped")
    assert "5 skipped, empty file: empty 0.txt, empty 1.txt, empty 2.txt and 2 more" in report
    assert "1 skipped, permission denied: locked.txt" in report
    assert "fix: permission denied: make it readable" in report
    assert "2 skipped, not an article (.txt, .md, .html or .jsonl): esc\\x1b[2Jname.bin, photo.jpg" in report
    assert "1 skipped, hidden file, not read: .DS_Store" in report
    assert "\x1b" not in report


def test_only_expected_skips_are_a_note(project: Path) -> None:
    (project / "seeds" / "notes.pdf").write_bytes(b"%PDF")
    (project / "seeds" / ".hidden").write_text("x")
    rc, report = run("--config", str(project / "config.yaml"), "--no-cache")
    assert line(report, "seeds").split()[1] == "note"
    assert "fix:" not in report
    assert rc == 0


def test_missing_seeds_folder_and_empty_folder(project: Path, tmp_path: Path) -> None:
    rc, report = run("--config", str(project / "config.yaml"), "--seeds", str(tmp_path / "no"))
    assert rc == 1 and "seeds folder not found" in line(report, "seeds")
    (tmp_path / "empty").mkdir()
    rc, report = run("--config", str(project / "config.yaml"), "--seeds", str(tmp_path / "empty"))
    assert rc == 1
    assert "fix: put at least one article (.txt, .md, .html or .jsonl) in the seeds folder" in report


def test_doctor_as_a_command(project: Path, tmp_path: Path) -> None:
    config = project / "config.yaml"
    config.write_text(config.read_text() + "colour: blue\n")
    proc = subprocess.run(
        [sys.executable, "-m", "tui", "doctor", "--config", str(config), "--no-cache"],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "TUI_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert proc.returncode == 1
    assert proc.stderr == ""
    assert "unknown key 'colour'" in proc.stdout and "Traceback" not in proc.stdout


def test_json_lines_records_are_counted_and_bad_lines_grouped(project: Path) -> None:
    lines = ['{"text": "Blinken met Wang Yi in Beijing on Sunday."}', "{broken", "[1]", "{also broken"]
    (project / "seeds" / "export.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rc, report = run("--config", str(project / "config.yaml"), "--no-cache")
    assert line(report, "seeds").endswith("2 files (5 documents), 2 read, 3 skipped")
    assert "2 skipped, not valid JSON" in report and "export.jsonl#2, export.jsonl#4" in report
    assert "1 skipped, not a JSON object: export.jsonl#3" in report
