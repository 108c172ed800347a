"""The progress hook every long loop accepts.

The library never draws anything: a command passes a callable that wraps an iterable
(the CLI's is a click progress bar on stderr); the default passes items through.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

Progress = Callable[[Iterable, str], Iterable]


def no_progress(items: Iterable[T], label: str) -> Iterable[T]:
    """The default hook: no display."""
    return items
