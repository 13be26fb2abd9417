"""Where the project's files are, and which of them a build reads.

One list of inputs feeds both the state file's digest and what watch mode follows: a
file that can change an output is hashed and watched, and a program file (build.py or
a module of this package) also restarts watch mode when it changes.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / 'factsheet'
TEMPLATES = ROOT / 'templates'
CHART_DIR = ROOT / 'charts'
CHARTS = ('timeline', 'map', 'membership')
# What each chart's SVG names as its creator: how a build knows a chart it drew (state.ours).
CHART_CREATOR = 'ISECG fact sheet, build.py'
# --print-shop's printing condition's CMYK profile, as Debian's libgs-common installs it (factsheet/press.py)
CMYK_PROFILE = Path('/usr/share/color/icc/ghostscript/default_cmyk.icc')
DATA_FILES = ('organisation.yaml', 'agencies.yaml', 'documents.yaml', 'sources.yaml')

# The program: build.py and the package's modules (a change restarts watch mode).
PROGRAM = ((ROOT, 'build.py'), (PACKAGE, '*.py'))
# Every file in these folders, at any depth, is an input: chart modules and their helpers,
# the chart style, templates and whatever they include or load.
FOLDERS = (CHART_DIR, TEMPLATES)
DATA_PATTERNS = ('*.yaml',)
LEFTOVERS = ('~', '.tmp', '.swp', '.swx', '.pyc')


def is_leftover(path: Path) -> bool:
    """An editor's swap, backup or temporary file, a hidden file or a cache: never an input."""
    return path.name.startswith(('.', '#')) or path.name.endswith(LEFTOVERS) or '__pycache__' in path.parts


def program_files() -> list[Path]:
    """build.py and the package's modules: the code every output is made by."""
    return [path for folder, pattern in PROGRAM for path in sorted(folder.glob(pattern))]


def folder_files(folder: Path) -> list[Path]:
    """Every file in one of the input folders, leftovers aside."""
    return sorted(path for path in folder.rglob('*') if path.is_file() and not is_leftover(path.relative_to(folder)))


def data_files(data_dir: Path) -> tuple[list[Path], list[Path]]:
    """Every data file in the data folder: (inside, links out of it)."""
    found = sorted(path for pattern in DATA_PATTERNS for path in data_dir.rglob(pattern))
    root = data_dir.resolve()
    inside = [path for path in found if path.resolve().is_relative_to(root)]
    return inside, [path for path in found if path not in inside]


def input_files(data_dir: Path) -> list[Path]:
    """Every file a build reads: the program, the charts, the templates and the data (never
    a file a link in the data folder leads to elsewhere: load refuses those)."""
    return program_files() + [path for folder in FOLDERS for path in folder_files(folder)] + data_files(data_dir)[0]


def kind_of(path: Path, data_dir: Path) -> str | None:
    """'program', 'input' or None: what a changed file means to a build."""
    if is_leftover(path):
        return None
    if any(path.parent == folder and path.match(pattern) for folder, pattern in PROGRAM):
        return 'program'
    if any(path.is_relative_to(folder) for folder in FOLDERS):
        return 'input'
    if path.is_relative_to(data_dir) and any(path.match(pattern) for pattern in DATA_PATTERNS):
        return 'input'
    return None


def watched_folders(data_dir: Path) -> list[Path]:
    """The folders watch mode follows."""
    return sorted({ROOT, *FOLDERS, data_dir})
