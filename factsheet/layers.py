"""The order of the package's modules, lowest first: each module imports only modules
before it in LAYERS (tests/unit/test_layers.py checks every import, those inside functions
included, and README.md's table follows this order)."""

LAYERS = (
    # building blocks that import nothing of the package
    'interrupts',
    'limits',
    'messages',
    'steps',
    'structure',
    'language',
    'project',
    'placeholders',
    'problems',
    'options',
    'cli',
    'stylesheets',
    'colours',
    # load -> validate -> derive
    'schema',
    'load',
    'translation',
    'review',
    'rules',
    'validate',
    'citations',
    'milestones',
    'derive',
    'export',
    'editions',
    # plan -> draw -> render -> write
    'inputs',
    'state',
    'plan',
    'draw',
    'card',
    'boxes',
    'layout',
    'columns',
    'render',
    'press',
    'pdf',
    'pipeline',
    'write',
    'words',
    'compare',
    # processes: the workers, what they do, watch mode
    'workers',
    'jobs',
    'helper',
    'watch',
    'preview',
)
