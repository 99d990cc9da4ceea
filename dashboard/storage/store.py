"""The dataset on shared object storage: `DASHBOARD_DATA_DIR=s3://bucket/prefix`.

Every replica reads one dataset from the store, through an fsspec filesystem registered
with DuckDB (`s3fs`; DuckDB 2.0 has no httpfs extension package that installs here, and
fsspec needs none). The layout under the prefix:

    CURRENT                          {"version": 7}: the version readers serve, written last
    versions/000007/files.json       every file of version 7: the object it is stored in
                                     (an earlier version's where its bytes did not change)
                                     and its sha256
    versions/000007/<table files>    the files version 7 wrote
    log/000007.json                  the history's line for version 7 (who, when, what)

A publish uploads the new files, then the version's file list, then its log line, and only
then swaps the pointer, so a reader sees the old version or the new one and never a mix;
objects are never overwritten, so a version, once listed, never changes. Replicas read the
pointer at most every `POINTER_TTL_S` seconds: a new version is served within that time.

Writing goes through the command line (`python -m dashboard ingest SOURCE --out s3://…`),
which imports into a local folder with the usual checks and publishes that folder here.
There is one writer at a time (the IT department's import job); two concurrent publishes
are not arbitrated by the store (see the README).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dashboard.storage.dataset import file_digest

POINTER = "CURRENT"
FILES = "files.json"
POINTER_TTL_S = 2.0
SCHEMES = ("s3://",)


def is_remote(location: str | os.PathLike[str]) -> bool:
    """Whether a dataset location names an object store (s3://bucket/prefix)."""
    text = str(location)
    if text.startswith("az://") or text.startswith("abfs://"):
        raise ValueError(
            "Azure Blob Storage (az://) is the next store to support; it needs adlfs, which "
            "is not installed: use s3:// or a folder"
        )
    return text.startswith(SCHEMES)


@dataclass(frozen=True)
class Location:
    """A dataset prefix in a bucket, normalised: s3://bucket/prefix (no trailing slash)."""

    url: str

    @classmethod
    def parse(cls, text: str) -> Location:
        scheme, _, rest = text.partition("://")
        parts = [p for p in rest.split("/") if p]
        if scheme != "s3" or not parts or any(p in (".", "..") for p in parts):
            raise ValueError(f"not a dataset location in an object store: {text!r}")
        return cls(f"s3://{'/'.join(parts)}")

    def key(self, rel: str) -> str:
        """The object's path without the scheme, as fsspec names it."""
        return f"{self.url.removeprefix('s3://')}/{rel}"

    def full(self, rel: str) -> str:
        return f"{self.url}/{rel}"

    @property
    def allowed(self) -> str:
        """What DuckDB's allowed_directories gets: this prefix and nothing else."""
        return self.url + "/"


_fs_lock = threading.Lock()
_fs: dict[str, Any] = {}


def filesystem() -> Any:
    """The fsspec S3 filesystem, credentials from the usual AWS settings (AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION, or an instance role), and the endpoint of a
    store other than AWS from DASHBOARD_S3_ENDPOINT (MinIO, a municipality's own, moto)."""
    endpoint = os.environ.get("DASHBOARD_S3_ENDPOINT", "")
    with _fs_lock:
        if endpoint not in _fs:
            import s3fs

            kwargs = {"client_kwargs": {"endpoint_url": endpoint}} if endpoint else {}
            _fs[endpoint] = s3fs.S3FileSystem(**kwargs)
        return _fs[endpoint]


def _read_json(loc: Location, rel: str) -> Any:
    with filesystem().open(loc.key(rel), "rb") as f:
        return json.loads(f.read().decode("utf-8"))


def _write_json(loc: Location, rel: str, value: object) -> None:
    data = (json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()
    with filesystem().open(loc.key(rel), "wb") as f:
        f.write(data)


_pointer_lock = threading.Lock()
_pointer: dict[str, tuple[float, int | None]] = {}


def current_version(loc: Location, fresh: bool = False) -> int | None:
    """The version readers serve (None: nothing published yet), read at most every
    POINTER_TTL_S seconds per process unless *fresh*."""
    now = time.monotonic()
    with _pointer_lock:
        seen = _pointer.get(loc.url)
        if seen is not None and not fresh and now - seen[0] < POINTER_TTL_S:
            return seen[1]
    fs = filesystem()
    fs.invalidate_cache(loc.key(POINTER))
    try:
        version = int(_read_json(loc, POINTER)["version"])
    except FileNotFoundError:
        version = None
    with _pointer_lock:
        _pointer[loc.url] = (now, version)
    return version


def version_dir(version: int) -> str:
    return f"versions/{version:06d}"


_files_cache: dict[tuple[str, int], dict[str, dict[str, Any]]] = {}


def version_files(loc: Location, version: int) -> dict[str, dict[str, Any]]:
    """The files of *version*: relative path -> {"object": rel key, "sha256": …}. A version
    never changes, so this is read once per process."""
    k = (loc.url, version)
    if k not in _files_cache:
        _files_cache[k] = _read_json(loc, f"{version_dir(version)}/{FILES}")
    return _files_cache[k]


def publish(loc: Location, folder: Path, entry: Mapping[str, object]) -> int:
    """Publish the local dataset folder *folder* as the next version: its new files, its
    file list, its log line, then the pointer. Returns the new version."""
    fs = filesystem()
    before = current_version(loc, fresh=True)
    version = (before or 0) + 1
    previous = version_files(loc, before) if before else {}
    prefix = version_dir(version)
    files: dict[str, dict[str, Any]] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        digest = file_digest(path)
        old = previous.get(rel)
        if old is not None and old["sha256"] == digest:
            files[rel] = old  # unchanged: the earlier version's object
            continue
        fs.put_file(str(path), loc.key(f"{prefix}/{rel}"))
        files[rel] = {"object": f"{prefix}/{rel}", "sha256": digest, "size": path.stat().st_size}
    _write_json(loc, f"{prefix}/{FILES}", files)
    _write_json(loc, f"log/{version:06d}.json", {**entry, "version": version})
    _write_json(loc, POINTER, {"version": version})
    current_version(loc, fresh=True)
    return version


def fetch(loc: Location, version: int, folder: Path) -> Path:
    """Download *version* into *folder* (a local working copy, for an import that keeps
    the tables it does not replace)."""
    fs = filesystem()
    for rel, meta in version_files(loc, version).items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        fs.get_file(loc.key(meta["object"]), str(target))
    return folder


READ_SETTING = "DASHBOARD_STORE_READ"  # "mirror" (the default) or "direct"


def read_mode() -> str:
    """How replicas read the store: "mirror" keeps a local copy of the served version (a
    version never changes, so the copy never goes stale) and DuckDB reads it from disk;
    "direct" reads every query through fsspec. Measured at 1 million activities
    (benchmarks/store.py): direct is 35-60 times slower per query than disk, because DuckDB
    opens and reads the objects again for each query."""
    mode = os.environ.get(READ_SETTING, "mirror")
    if mode not in ("mirror", "direct"):
        raise ValueError(f"{READ_SETTING} must be 'mirror' or 'direct', not {mode!r}")
    return mode


def mirror(loc: Location, version: int, root: Path | None = None) -> Path:
    """The local copy of *version* (downloaded once, into a folder swapped in whole, so a
    replica killed mid-download leaves only a temporary folder behind)."""
    import shutil
    import tempfile

    root = root or Path(os.environ.get("DASHBOARD_STORE_CACHE") or tempfile.gettempdir())
    name = hashlib.sha256(loc.url.encode()).hexdigest()[:16]
    # the version's file list (every file's sha256) names the copy: a bucket emptied and
    # imported into again never serves an old copy under a reused version number
    files = json.dumps(version_files(loc, version), sort_keys=True).encode()
    target = (
        root / f"malbild-store-{name}" / f"{version:06d}-{hashlib.sha256(files).hexdigest()[:12]}"
    )
    if target.is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        fetch(loc, version, work)
        os.rename(work, target)
    except OSError:
        shutil.rmtree(work, ignore_errors=True)
        if not target.is_dir():  # another thread of this replica won the race: fine
            raise
    return target


def log(loc: Location) -> list[dict[str, Any]]:
    """The history's lines in the store, oldest first."""
    fs = filesystem()
    try:
        names = sorted(fs.ls(loc.key("log"), detail=False, refresh=True))
    except FileNotFoundError:
        return []
    out = []
    for name in names:
        with fs.open(name, "rb") as f:
            out.append(json.loads(f.read().decode("utf-8")))
    return out
