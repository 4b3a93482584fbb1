"""Every use of Textual's private names, in one place.

Textual 8.2.8's Footer leaks (widgets/footer.py says how), and the only cure is to prune the
watcher registry that Textual keeps on each object under the attribute name ``__watchers``;
tests read the notifications an app shows, which Textual keeps in ``App._notifications``, and
count ``FooterKey`` widgets, which only ``textual.widgets._footer`` exports. None of these is
Textual's API, so Textual is pinned exactly in pyproject.toml, and
tests/tui/test_textual_internals.py fails when the pinned version loses any of them;
:func:`fast_path_available` says, on the installed version, whether they are there and behave as
assumed (the footer skips its pruning when not, and leaks as Textual's own does).
"""

from __future__ import annotations

import functools
from typing import Any

from textual.app import App
from textual.dom import DOMNode
from textual.notifications import Notification
from textual.widgets._footer import FooterKey

__all__ = ["FooterKey", "drop_detached_watchers", "fast_path_available", "notifications"]

_WATCHERS = "__watchers"  # set with setattr, so Python's name mangling does not apply


def drop_detached_watchers(obj: DOMNode) -> None:
    """Forget the watchers of ``obj``'s reactives whose widget has left the DOM (Textual drops
    them only when the watched value next changes)."""
    if not fast_path_available():
        return
    registry: dict[str, list[tuple[Any, Any]]] = getattr(obj, _WATCHERS, {})
    for entries in registry.values():
        entries[:] = [(node, callback) for node, callback in entries if node.is_attached]


def notifications(app: App[Any]) -> list[Notification]:
    """The notifications ``app`` shows now, oldest first."""
    return list(app._notifications)


@functools.cache
def fast_path_available() -> bool:
    """Does the installed Textual keep watchers where :func:`drop_detached_watchers` looks, as
    {attribute: [(node, callback), ...]}, and an app's notifications in ``_notifications``?"""
    try:
        watched, watcher = DOMNode(), DOMNode()

        def callback() -> None:
            """Never called: the watch is registered without its first call."""

        watcher.watch(watched, "classes", callback, init=False)
        registry = getattr(watched, _WATCHERS, None)
        registry_as_assumed = isinstance(registry, dict) and registry.get("classes") == [(watcher, callback)]
        # set in App.__init__ (an App is not made here: this runs inside the running one)
        return registry_as_assumed and "_notifications" in App.__init__.__code__.co_names
    except Exception:  # any change in how these are kept: the footer leaves them alone
        return False
