"""How a worker's work ended, as the worker tells its parent. The messages travel on
multiprocessing's own connections (a length, then a pickle; see workers.py)."""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Done:
    """The work finished."""


@dataclass(frozen=True)
class Failed:
    """The work stopped on problems the user can fix."""

    problems: list[Any]  # problems.Problem or str (problems.py is above this module)


@dataclass(frozen=True)
class Crashed:
    """The work stopped on a bug."""

    traceback: str


@dataclass(frozen=True)
class Died:
    """The process ended without saying how."""


Outcome = Done | Failed | Crashed | Died
OUTCOMES = (Done, Failed, Crashed, Died)
