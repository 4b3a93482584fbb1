"""What the article list and the reader pane share: Line API drawing from a cache, and the keys
that move them.

Both are a :class:`~textual.scroll_view.ScrollView` whose virtual lines are rendered only when
they come on screen (twenty thousand rows, or a 1 MB article, cost a screenful of strips); a
rendered line is kept until the content or the styles change. Both move up and down with the same
keys, so that a reader who learnt one pane knows the other: those keys are written here once, and
each widget says what they do in it.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import ClassVar

from textual.binding import Binding
from textual.cache import LRUCache
from textual.scroll_view import ScrollView
from textual.strip import Strip

# The keys of the six vertical motions, in the order motion_bindings takes them.
MOTION_KEYS = ("j,down", "k,up", "pagedown,space", "pageup,shift+space", "g,home", "G,end")


@dataclass(frozen=True, slots=True)
class Motion:
    """What one of the shared motion keys does in a widget: the action, the binding's id (what a
    keymap rebinds it by), the help's word for it and its tooltip."""

    action: str
    id: str
    description: str
    tooltip: str


def motion_bindings(down: Motion, up: Motion, page_down: Motion, page_up: Motion, top: Motion, bottom: Motion) -> list[Binding]:
    """The bindings of the shared motion keys (:data:`MOTION_KEYS`), hidden from the footer."""
    motions = (down, up, page_down, page_up, top, bottom)
    return [
        Binding(keys, motion.action, motion.description, show=False, id=motion.id, tooltip=motion.tooltip)
        for keys, motion in zip(MOTION_KEYS, motions, strict=True)
    ]


class LineView(ScrollView):
    """A scroll view drawn line by line from :meth:`_render_virtual_line`, through a cache.

    A subclass calls :meth:`_redraw` whenever what its lines show changes, and adds to
    :meth:`_line_key` what else a rendered line depends on (the focus, say)."""

    CACHE_SIZE: ClassVar[int] = 512

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._cache: LRUCache[Hashable, Strip] = LRUCache(self.CACHE_SIZE)

    def _line_key(self, index: int, width: int) -> Hashable:
        """What a rendered virtual line ``index`` is cached under."""
        return (index, width)

    def _render_virtual_line(self, index: int, width: int) -> Strip:
        """Virtual line ``index`` rendered ``width`` cells wide (the subclass draws its lines)."""
        raise NotImplementedError

    def _redraw(self) -> None:
        self._cache.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        key = self._line_key(index, width)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_virtual_line(index, width)
            self._cache[key] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style).apply_offsets(scroll_x, index)
