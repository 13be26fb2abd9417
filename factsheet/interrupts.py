"""Interrupts held: a step that must run whole (a rollback, the helper's start) runs with
Ctrl-C and TERM held, and a signal that arrives meanwhile is delivered after it."""

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

STOPS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def held(deliver: bool = True) -> Iterator[list[int]]:
    """Run the block whole; then deliver the first Ctrl-C or TERM that arrived meanwhile to
    the handler that was in place (KeyboardInterrupt, for a build), or with deliver=False
    (a build already stopping) let it go. Yields the list of signals received. Outside the
    main thread, where no handler can be set, the block runs as it is."""
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return
    previous = {number: signal.signal(number, lambda number, frame: received.append(number)) for number in STOPS}
    try:
        yield received
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if received and deliver:
            signal.raise_signal(received[0])


def first_only() -> Callable[[int, FrameType | None], None]:
    """A handler for Ctrl-C and TERM that raises KeyboardInterrupt at the first of them and
    lets the later ones go: the build is stopping already, and puts everything back."""
    received: list[int] = []

    def handler(number: int, frame: FrameType | None) -> None:
        if not received:
            received.append(number)
            raise KeyboardInterrupt

    return handler
