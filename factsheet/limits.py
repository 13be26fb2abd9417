"""A process's memory, on Linux: its size now and at its peak, the address-space limit it
may set, and whether an error says that limit was reached (workers.py sets it); and the
largest file an output may be.

No file this build writes comes near MAX_OUTPUT_BYTES: a larger one where an output goes
is someone else's, and is never read whole, replaced or removed (write.output_path,
state.BuildState.sha256)."""

import re
from pathlib import Path

MAX_OUTPUT_BYTES = 64 << 20


def address_space(wanted: int) -> int:
    """The address-space limit to set: the one wanted, or the hard limit this process
    inherited when that is lower (it cannot be raised)."""
    import resource

    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    return wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)


def inherited_limit(memory: int) -> str | None:
    """A line that says so when the inherited hard limit on address space is below what the
    workers would get (`memory` bytes over this process's own size); None otherwise."""
    size = memory_size('VmSize')
    limit = address_space(size + memory)
    if limit >= size + memory:
        return None
    return (
        f'build.py: this process inherited a hard memory limit ({limit >> 20} MiB of address space, '
        f'ulimit -v): the renders run under it, not under --memory {memory >> 20}'
    )


def out_of_memory(error: BaseException | None) -> bool:
    """True when an exception, or one it came from, says the memory limit was reached."""
    import errno

    while error is not None:
        if (
            isinstance(error, MemoryError)
            or getattr(error, 'errno', None) == errno.ENOMEM
            or 'failed to map segment' in str(error)
            or 'cannot allocate memory' in str(error).lower()
        ):
            return True
        error = error.__cause__ or error.__context__
    return False


def memory_size(field: str) -> int:
    """This process's virtual memory in bytes, now (VmSize) or at its peak (VmPeak), on
    Linux; 0 where unknown."""
    try:
        status = Path('/proc/self/status').read_text()
    except OSError:
        return 0
    found = re.search(rf'^{field}:\s*(\d+) kB', status, re.M)
    return int(found.group(1)) * 1024 if found else 0
