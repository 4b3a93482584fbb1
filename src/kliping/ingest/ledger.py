"""What earlier imports wrote for each dataset record, so importing the same dataset again is quick.

Importing a dataset a second time used to clean every record and build its Markdown document only
to find the library's file already equal to it: 17 s of CPU for the 21,940 records of CLICK-ID,
three quarters of it cleaning and YAML. The ledger (``imports.json`` in the library's cache
directory) remembers, for each record that an import wrote or found in place, a digest of what the
document is made from (the record's line, its article id, the code that cleans and writes it) and
the stamp of the file that holds it (size, mtime and inode: every import writes a new inode). A
record whose digest and file stamp both match is the document already there, and is skipped
without being cleaned. Any doubt (another version of kliping, a file touched or rewritten, a record
moved to another line, an id taken by a scoped name) falls back to the full check. Like the catalog
it is only a cache: lost, damaged or unwritable, the next import just does the full work.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

import kliping
from kliping.files.atomic import write_atomic
from kliping.files.regular_file import read_regular

LEDGER_NAME = "imports.json"
_VERSION = 1
_MAX_LEDGER_BYTES = 512 * 1024 * 1024
# The packages whose code decides what document a record becomes.
_DOCUMENT_CODE = ("ingest", "articles", "files")


def code_fingerprint() -> str:
    """A digest of everything that shapes an imported document: kliping's and PyYAML's versions
    and the source of the packages that read, clean and write articles. A change to any of them
    (an upgrade, an edited cleaner) makes every ledger entry unknown again."""
    digest = hashlib.blake2b(f"{kliping.__version__}\0{yaml.__version__}".encode(), digest_size=16)
    package = Path(kliping.__file__).parent
    for name in _DOCUMENT_CODE:
        for source in sorted((package / name).glob("*.py")):
            digest.update(source.name.encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Entry:
    """One record as an import left it: what it was made from, its clean text, where it is."""

    made_from: str  # digest of the record's line, its id and the code's fingerprint
    text: bytes  # digest of its clean text, for the skip of repeats within one import
    target: str  # the library file's name
    stamp: tuple[int, int, int]  # (size, mtime_ns, inode) of that file just after


def file_stamp(path: Path) -> tuple[int, int, int]:
    status = os.stat(path)
    return status.st_size, status.st_mtime_ns, status.st_ino


class ImportLedger:
    """The ledger of one library, read at the start of an import and written at its end."""

    def __init__(self, path: Path | None, fingerprint: str = "") -> None:
        self.path = path
        self.fingerprint = fingerprint
        self._old: dict[str, dict[int, Entry]] = {}  # source -> line -> entry, from earlier imports
        self._new: dict[str, dict[int, Entry]] = {}  # what this import wrote or confirmed

    @classmethod
    def open(cls, cache_dir: Path | None) -> ImportLedger:
        """The ledger kept in ``cache_dir`` (an empty one when there is none or it cannot be
        read); with no ``cache_dir``, one that knows nothing and saves nothing."""
        if cache_dir is None:
            return cls(None)
        path = Path(cache_dir) / LEDGER_NAME
        ledger = cls(path, code_fingerprint())
        try:
            saved = json.loads(read_regular(path, _MAX_LEDGER_BYTES))
            if saved.get("version") == _VERSION and saved.get("fingerprint") == ledger.fingerprint:
                ledger._old = {
                    source: {int(line): Entry(made, bytes.fromhex(text), target, (size, mtime, inode))
                             for line, made, text, target, size, mtime, inode in rows}
                    for source, rows in saved["sources"].items()
                }
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            ledger._old = {}  # only a cache: the import does the full work
        return ledger

    def made_from(self, line_text: str, article_id: str) -> str:
        digest = hashlib.blake2b(digest_size=16)
        for part in (self.fingerprint, article_id, line_text):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\0")
        return digest.hexdigest()

    def unchanged(self, library_root: Path, source: str, line: int, made_from: str, target: str) -> Entry | None:
        """The entry of record ``line`` of ``source`` if the library's file ``target`` still holds
        exactly the document an earlier import made of the same record; it is then kept for the
        next import."""
        if self.path is None:
            return None
        entry = self._old.get(source, {}).get(line)
        if entry is None or entry.made_from != made_from or entry.target != target:
            return None
        try:
            if file_stamp(library_root / entry.target) != entry.stamp:
                return None
        except OSError:
            return None
        self._new.setdefault(source, {})[line] = entry
        return entry

    def kept(self, source: str, line: int) -> Entry:
        """The entry :meth:`unchanged` found for record ``line`` of ``source``."""
        return self._new[source][line]

    def note(self, source: str, line: int, entry: Entry) -> None:
        """Record ``line`` of ``source`` is now the document in ``entry.target``."""
        if self.path is not None:
            self._new.setdefault(source, {})[line] = entry

    def save(self) -> None:
        """Write the ledger: this import's sources as it found them, the others as they were."""
        if self.path is None or not self._new:
            return
        sources = {**self._old, **self._new}
        data = {
            "version": _VERSION,
            "fingerprint": self.fingerprint,
            "sources": {
                source: [[line, e.made_from, e.text.hex(), e.target, *e.stamp] for line, e in sorted(rows.items())]
                for source, rows in sources.items()
            },
        }
        with contextlib.suppress(OSError):  # only a cache: the next import does the full work
            write_atomic(self.path, json.dumps(data, separators=(",", ":")).encode("ascii"), durable=False)
