"""The tests' kept layouts, charts and cards for the builds they run in processes of their own (layouts.py).

Python imports this module as it starts, when tests/boot is on PYTHONPATH: the tests put it
there for every process they start, with FACTSHEET_TEST_LAYOUTS naming the run's folder of
kept layouts. Once factsheet.pipeline is imported (from whichever copy of the program the
process runs), its `factsheet`, `draw` and `card` steps are wrapped as the test process
wraps its own."""

import os
import sys
from pathlib import Path

FOLDER = os.environ.get('FACTSHEET_TEST_LAYOUTS')


class Wrapping:
    """A finder that finds nothing itself: it hands factsheet.pipeline's import to the
    other finders, then wraps the step once the module has run."""

    def find_spec(self, name, path, target=None):
        if name != 'factsheet.pipeline':
            return None
        for finder in sys.meta_path:
            spec = None if finder is self else getattr(finder, 'find_spec', lambda *_: None)(name, path, target)
            if spec is not None and spec.loader is not None:
                break
        else:
            return None
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            sys.path.append(str(Path(__file__).resolve().parent.parent))  # tests/, last
            from layouts import wrap

            wrap(Path(FOLDER), module)

        spec.loader.exec_module = exec_module
        return spec


def the_next():
    """Run the sitecustomize this one stands before on the path, if any (a system's own)."""
    import importlib.machinery
    import importlib.util

    def boot(entry):  # this folder, or another checkout's tests/boot
        folder = Path(entry or '.').resolve()
        return folder.name == 'boot' and (folder.parent / 'layouts.py').is_file()

    path = [entry for entry in sys.path if not boot(entry)]
    spec = importlib.machinery.PathFinder.find_spec('sitecustomize', path)
    if spec is not None and spec.loader is not None:
        spec.loader.exec_module(importlib.util.module_from_spec(spec))


if FOLDER:
    sys.meta_path.insert(0, Wrapping())
the_next()
