"""Highlights as span layers: named sets of ``(start, end)`` offsets into ``Article.text``, each
drawn in one style, higher priorities on top.

A layer is merged and sorted once, when it is set; drawing a line then finds the spans that
overlap it by a binary search over their ends instead of looking at every span (a common word can
have thousands of search hits in a long article).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass


@dataclass(slots=True)
class SpanLayer:
    """Non-overlapping spans sorted by start, drawn in ``component`` style above lower priorities."""

    component: str
    priority: int
    spans: list[tuple[int, int]]
    ends: list[int]

    @classmethod
    def build(cls, component: str, priority: int, spans: list[tuple[int, int]]) -> SpanLayer:
        merged: list[tuple[int, int]] = []
        for start, end in sorted(spans):
            if end <= start:
                continue
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return cls(component, priority, merged, [end for _, end in merged])

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        """The spans that overlap ``[start, end)``, in order."""
        found: list[tuple[int, int]] = []
        for index in range(bisect_right(self.ends, start), len(self.spans)):
            span = self.spans[index]
            if span[0] >= end:
                break
            found.append(span)
        return found
