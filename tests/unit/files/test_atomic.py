"""Atomic writes keep the user's file modes and keep a backup even where hard links are refused."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from kliping.files.atomic import write_atomic


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_file_gets_the_users_umask_not_0600(tmp_path: Path, umask_022) -> None:
    target = tmp_path / "baru.md"
    write_atomic(target, "isi\n")
    assert _mode(target) == 0o644
    os.umask(0o027)
    other = tmp_path / "lain.md"
    write_atomic(other, "isi\n")
    assert _mode(other) == 0o640


def test_an_overwritten_file_keeps_its_mode_and_so_does_its_backup(tmp_path: Path, umask_022) -> None:
    target = tmp_path / "bookmarks.yaml"
    target.write_text("lama\n", "utf-8")
    os.chmod(target, 0o604)
    write_atomic(target, "baru\n", backup=True)
    assert target.read_text("utf-8") == "baru\n" and _mode(target) == 0o604
    backup = tmp_path / "bookmarks.yaml.bak"
    assert backup.read_text("utf-8") == "lama\n" and _mode(backup) == 0o604


@pytest.mark.parametrize("code", [errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EMLINK, errno.ENOSYS, errno.EACCES])
def test_backup_is_copied_where_hard_links_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    def no_links(src, dst, *args, **kwargs):
        raise OSError(code, os.strerror(code), str(dst))

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "bookmarks.yaml"
    target.write_text("versi satu\n", "utf-8")
    write_atomic(target, "versi dua\n", backup=True)
    write_atomic(target, "versi tiga\n", backup=True)
    assert target.read_text("utf-8") == "versi tiga\n"
    assert (tmp_path / "bookmarks.yaml.bak").read_text("utf-8") == "versi dua\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bookmarks.yaml", "bookmarks.yaml.bak"]  # no temp litter


def test_a_failing_backup_copy_leaves_the_file_and_old_backup_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "bookmarks.yaml"
    target.write_text("versi satu\n", "utf-8")
    (tmp_path / "bookmarks.yaml.bak").write_text("versi nol\n", "utf-8")
    monkeypatch.setattr(os, "link", lambda *a, **k: (_ for _ in ()).throw(OSError(errno.EPERM, "no links")))
    real_replace = os.replace

    def full_disk_for_backups(src, dst, *args, **kwargs):
        if str(dst).endswith(".bak"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", full_disk_for_backups)
    with pytest.raises(OSError):
        write_atomic(target, "versi dua\n", backup=True)
    assert target.read_text("utf-8") == "versi satu\n"
    assert (tmp_path / "bookmarks.yaml.bak").read_text("utf-8") == "versi nol\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bookmarks.yaml", "bookmarks.yaml.bak"]


def test_a_backup_that_is_already_the_file_leaves_no_temp_behind(tmp_path: Path) -> None:
    """A write killed between keeping the backup and the rename leaves the .bak as a second link
    to the file itself; rename() between two links of one file does nothing."""
    target = tmp_path / "bookmarks.yaml"
    target.write_text("versi satu\n", "utf-8")
    os.link(target, tmp_path / "bookmarks.yaml.bak")
    write_atomic(target, "versi dua\n", backup=True)
    assert target.read_text("utf-8") == "versi dua\n"
    assert (tmp_path / "bookmarks.yaml.bak").read_text("utf-8") == "versi satu\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bookmarks.yaml", "bookmarks.yaml.bak"]
