"""The line of hard-wrapped text that the text path's layout classifies (body, header, front,
title, float, drop): shared by :mod:`pipeline.cleanup.front` (line classes) and
:mod:`pipeline.cleanup.reflow` (paragraphs)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Line:
    idx: int
    start: int  # stripped span in the text
    end: int
    text: str
    indent: int
    sep: int  # newlines between the previous line and this one (1 = adjacent)
    kind: str = "body"  # body | header | float | front | title | drop
    float_id: int | None = None
    heading: bool = False
