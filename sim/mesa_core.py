"""Load the part of Mesa a run uses, leaving the rest of the package to load on first use.

``import mesa`` runs ``mesa/__init__``, which imports every subpackage: the
discrete spaces (networkx, scipy.spatial), ``mesa.experimental`` (whose
continuous space imports scipy.spatial again), the batch runner. A run of the
engine uses three names: ``mesa.Model``, ``mesa.Agent`` and
``mesa.DataCollector``. :func:`load` imports the modules defining them
(``mesa.model``, ``mesa.agent``, ``mesa.datacollection``, and what they import)
under package objects for ``mesa`` and ``mesa.experimental`` whose ``__init__``
has not run yet; the first lookup of any other attribute of either package runs
its ``__init__`` then, so ``mesa.space``, ``mesa.__version__`` or
``from mesa import batch_run`` work as after a plain ``import mesa``, and the
classes are the same objects either way. It saves about a second of start-up
(docs/performance.md, "Start-up"); `sim run` calls it, the library does not.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

CORE = {"Agent": "mesa.agent", "Model": "mesa.model", "DataCollector": "mesa.datacollection"}
"""The names a run takes from ``mesa``, each with the module defining it, in import order."""

DEFERRED = ("mesa", "mesa.experimental")
"""Packages whose ``__init__`` is deferred to the first lookup of a name not yet loaded."""

_pending: set[str] = set()
"""The deferred packages whose ``__init__`` has not run yet."""


def load() -> None:
    """Import Mesa's core under deferred packages, unless Mesa is imported already."""
    if any(name in sys.modules for name in DEFERRED):
        return
    for name in DEFERRED:
        _defer(name)
    mesa = sys.modules["mesa"]
    for attribute, module in CORE.items():
        setattr(mesa, attribute, getattr(importlib.import_module(module), attribute))


def _defer(name: str) -> None:
    """Register package ``name`` with its ``__init__`` not yet run (it runs on first need)."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    package = importlib.util.module_from_spec(spec)

    def __getattr__(attribute: str) -> object:  # noqa: N807 (PEP 562's name)
        del package.__getattr__  # type: ignore[attr-defined]  (runs once)
        _pending.discard(name)
        spec.loader.exec_module(package)  # type: ignore[union-attr]
        return getattr(package, attribute)

    package.__getattr__ = __getattr__  # type: ignore[attr-defined]
    sys.modules[name] = package
    _pending.add(name)
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, package)


def deferred() -> list[str]:
    """The packages whose ``__init__`` :func:`load` deferred and that have not run it yet."""
    return sorted(_pending)
