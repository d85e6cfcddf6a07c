"""The package's public API as a user finds it: ``dir(sim)``, tab completion, ``__all__``."""

from __future__ import annotations

import subprocess
import sys

import sim


def test_dir_lists_the_api():
    names = dir(sim)
    for name in sim.__all__:
        assert name in names
    assert {"load_scenario", "run", "run_batch", "sweep", "analyze"} <= set(names)
    assert names == sorted(names)


def test_every_name_in_all_resolves():
    for name in sim.__all__:
        assert getattr(sim, name) is not None


def test_dir_does_not_import_mesa():
    code = "import sys, sim; dir(sim); print('mesa' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
