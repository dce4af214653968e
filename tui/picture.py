"""The last picture of a seeds folder, kept on disk so the next start shows it at once.

One file per seeds folder, next to the result cache, holds the folder's
listing (every file's size and modification time), the key of everything
else the picture depends on (the config, the pipeline, tui's code) and the
Snapshot made from them. At start, when the folder lists the same and the key
matches, the engine shows the picture without reading an article or a cached
result, and builds its working state afterwards. Any difference and the
picture is not used: it is only ever a copy of what extraction would give.

The file is read with an unpickler that builds tui's record types and plain
values only, so a file put there by someone else cannot run code; a damaged
or foreign file is ignored and replaced.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui import __version__
from tui.extract import models
from tui.extract.models import Snapshot

FORMAT = 1
MAX_BYTES = 1024 * 1024 * 1024  # a larger picture is not kept: reading it would not be quicker
_PACKAGE = Path(__file__).resolve().parent
_CODE = ("extract/*.py", "extract/*.yaml", "*.py")


@functools.cache
def code_digest() -> str:
    """Hash of the sources that make a picture from the seeds, read once."""
    digest = hashlib.sha256(__version__.encode())
    for pattern in _CODE:
        for path in sorted(_PACKAGE.glob(pattern)):
            try:
                digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
            except OSError:
                continue
    return digest.hexdigest()[:16]


def picture_key(config_json: str, pipeline_key: str, today: str | None) -> str:
    """What a picture depends on besides the folder's files. `today`: the day,
    where the config counts "upcoming" from today."""
    parts = (config_json, pipeline_key, today or "", code_digest(), str(FORMAT))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]


def picture_path(cache_dir: Path, seeds_dir: Path) -> Path:
    folder = hashlib.sha256(str(Path(seeds_dir).resolve()).encode()).hexdigest()[:16]
    return Path(cache_dir) / f"picture-{folder}.pickle"


@dataclass(frozen=True)
class Picture:
    key: str
    listing: tuple  # corpus.Listing of the folder the snapshot was made from
    read_at: int  # time.time_ns() when the folder was listed
    snapshot: Snapshot


_ALLOWED = {
    (models.__name__, name)
    for name in dir(models)
    if isinstance(getattr(models, name), type) and getattr(models, name).__module__ == models.__name__
} | {(__name__, "Picture")}


class _RecordsOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a tui record")


def load_picture(path: Path) -> Picture | None:
    """The picture in `path`, or None when there is none or it cannot be used."""
    try:
        with open(path, "rb") as fh:
            if os.fstat(fh.fileno()).st_size > MAX_BYTES:
                return None
            picture = _RecordsOnly(io.BufferedReader(fh)).load()
    except Exception:  # damaged, foreign, from another version: not used, replaced on the next save
        return None
    return picture if isinstance(picture, Picture) else None


def save_picture(path: Path, picture: Picture) -> str | None:
    """Write the picture (whole, or not at all); a one-line problem, or None."""
    try:
        data = pickle.dumps(picture, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:
        return f"picture not kept: {type(exc).__name__}"
    if len(data) > MAX_BYTES:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".picture-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        return f"{path}: picture not kept ({exc.strerror or exc})"
    return None
