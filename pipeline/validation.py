"""Great Expectations in a process of its own, started first thing by the command.

Importing GX costs 2–3 s of CPU, more than reading and checking the two seed documents; in the
command's process it came after the pipeline's own imports and the reading. A process forked
before those imports pays it beside them, on the other core: it receives the run's suites,
sends their findings back, then builds Data Docs while the command writes its report. Any
failure of that process (it died, could not be forked, or failed) leaves the validation to the
command's own process, as before; an error of GX itself is raised there, as before.

This module imports nothing heavy: the command imports it before anything else.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import multiprocessing
import os
import shutil
import sys
import types
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from expectations.suites import SuiteSpec
    from reconcilers.finding import Finding

# Imported by GX at start-up for expectations this project does not declare (the module of
# `expect_column_kl_divergence_to_be_less_than` imports both): 1.0 of the 2.9 CPU seconds of
# importing GX, measured on this machine. The GX process defers them (`Deferred`).
UNUSED_BY_THE_SUITES = ("scipy.stats", "altair")
# The process gives way to the command and its workers while they read (its import is wasted
# on a run that needs no suite, such as Summary Data); it uses a core they leave idle.
NICENESS = 10


class Validation:
    """The suites of a run validated here, in this process (what the run does unless the
    command handed it a `ValidationProcess`)."""

    def __init__(self) -> None:
        self._findings: list[Finding] = []

    def submit(self, suites: list[SuiteSpec], data_docs_dir: Path | None) -> None:
        from expectations.suites import run_suites
        self._findings = run_suites(suites, data_docs_dir)

    def findings(self) -> list[Finding]:
        return self._findings

    def finish(self) -> None:
        """Data Docs are built: here, `submit` built them."""

    def close(self) -> None:
        """Nothing to stop here."""


class ValidationProcess(Validation):
    """The suites validated by a process forked now, which imports GX at once and waits for them.
    Whatever goes wrong with that process (not forked, dead, an error, suites or findings that do
    not pickle), the suites are validated here instead: an error of GX itself is then raised here."""

    def __init__(self) -> None:
        super().__init__()
        self._connection: Connection | None = None
        self._submitted: tuple[list[SuiteSpec], Path | None] = ([], None)
        self._fell_back = False
        if "fork" not in multiprocessing.get_all_start_methods():
            return
        context = multiprocessing.get_context("fork")
        self._connection, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child,), name="great-expectations", daemon=True)
        try:
            self._process.start()
        except OSError:
            self._connection = None
        child.close()

    def submit(self, suites: list[SuiteSpec], data_docs_dir: Path | None) -> None:
        self._submitted = (suites, data_docs_dir)
        if suites and self._connection is not None:   # none (Summary Data only): the process is stopped
            try:
                self._connection.send(self._submitted)
                return
            except Exception:   # noqa: BLE001 - a process that cannot take them: validated here
                pass
        self._fall_back()

    def findings(self) -> list[Finding]:
        if not self._fell_back:
            kind, payload = self._receive()
            if kind == "findings":
                self._findings = payload
            else:
                self._fall_back()
        return self._findings

    def finish(self) -> None:
        if not self._fell_back:
            kind, _ = self._receive()
            if kind != "done":
                self._fall_back()
        self.close()

    def close(self) -> None:
        """Stop the process if it is still there (a run that ended early, or an error)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()

    def _receive(self) -> tuple[str, Any]:
        """The process's next message: ("findings", [...]), ("done", None), ("error", text), or
        ("lost", None) if it died."""
        try:
            if self._connection is not None:
                return self._connection.recv()
        except Exception:   # noqa: BLE001 - EOF (died), or an answer that does not unpickle
            pass
        return "lost", None

    def _fall_back(self) -> None:
        """Validate here, Data Docs included, into a folder emptied of what the process left."""
        self.close()
        self._fell_back = True
        suites, data_docs_dir = self._submitted
        if data_docs_dir is not None and data_docs_dir.is_dir():
            for leftover in data_docs_dir.iterdir():
                if leftover.is_dir():
                    shutil.rmtree(leftover)
                else:
                    leftover.unlink()
        super().submit(suites, data_docs_dir)


class Deferred(types.ModuleType):
    """Stands in `sys.modules` for a module that is imported but, in this process, not used: the
    real module is imported the first time one of its names is asked for, and answers from then on."""

    def __init__(self, spec: importlib.machinery.ModuleSpec) -> None:
        super().__init__(spec.name)
        self.__spec__, self.__loader__ = spec, spec.loader
        if spec.submodule_search_locations is not None:
            self.__path__ = list(spec.submodule_search_locations)

    def __getattr__(self, name: str) -> Any:
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), name)


def defer(names: tuple[str, ...]) -> None:
    """Put a `Deferred` in the place of each module not yet imported (and on its parent package)."""
    for name in names:
        if name in sys.modules or importlib.util.find_spec(name) is None:
            continue
        sys.modules[name] = stand_in = Deferred(importlib.util.find_spec(name))
        parent, _, child = name.rpartition(".")
        if parent:
            setattr(sys.modules[parent], child, stand_in)


def _serve(connection: Connection) -> None:
    """The process: import GX while the command reads, validate what it sends, answer with the
    findings, then build Data Docs and say so."""
    try:
        os.nice(NICENESS)
        from expectations.suites import import_gx, run_suites
        defer(UNUSED_BY_THE_SUITES)
        import_gx()
        suites, data_docs_dir = connection.recv()
        run_suites(suites, data_docs_dir, validated=lambda found: connection.send(("findings", found)))
        connection.send(("done", None))
    except (EOFError, BrokenPipeError, KeyboardInterrupt):   # the command has gone: nothing to answer
        return
    except Exception as error:   # noqa: BLE001 - the command validates itself instead
        with contextlib.suppress(OSError):
            connection.send(("error", f"{type(error).__name__}: {error}"))
