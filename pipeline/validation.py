"""Great Expectations in a process of its own, started first thing by the command.

Importing GX costs 2–3 s of CPU, more than reading and checking the two seed documents; in the
command's process it came after the pipeline's own imports and the reading. A process forked
before those imports pays it beside them, on the other core: it receives each document's suites
as soon as that document is read and validates them while the others are read, sends all their
findings back once the last is in, then builds Data Docs while the command writes its report. Any
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
import queue
import shutil
import sys
import threading
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
# The niceness the process takes when the first document back is not one GX validates: a run of Summary
# Data may need none, and the process's import of GX then gives way to the readers. Otherwise it
# runs as the readers do, validating each document as it comes (at niceness 10 it got a tenth
# of a core beside two readers, and the validations piled up for the end of the run).
NICENESS = 10


class Validation:
    """The suites of a run validated here, in this process, once every document is read (what
    the run does unless the command handed it a `ValidationProcess`)."""

    def __init__(self) -> None:
        self._suites: dict[int, list[SuiteSpec]] = {}
        self._findings: list[Finding] = []

    def add(self, index: int, suites: list[SuiteSpec]) -> None:
        """The suites of the run's `index`-th document, as soon as it is read: documents come back
        in any order."""
        if suites:
            self._suites[index] = suites

    def passed_over(self) -> None:
        """A document GX does not validate (Summary Data) came back."""

    def findings(self, data_docs_dir: Path | None) -> list[Finding]:
        """The findings of every suite added, in the documents' order; Data Docs into `data_docs_dir`."""
        from expectations.suites import run_suites
        self._findings = run_suites(self._in_order(), data_docs_dir)
        return self._findings

    def finish(self) -> None:
        """Data Docs are built: here, `findings` built them."""

    def close(self) -> None:
        """Nothing to stop here."""

    def _in_order(self) -> list[SuiteSpec]:
        """Every suite added, in the documents' order (as with `--jobs 1`), whatever order they came in."""
        return [suite for index in sorted(self._suites) for suite in self._suites[index]]


class ValidationProcess(Validation):
    """The suites validated by a process forked now, which imports GX at once and validates each
    document's suites as they are added, while the other documents are read. Whatever goes wrong
    with that process (not forked, dead, an error, suites or findings that do not pickle), the
    suites are validated here instead: an error of GX itself is then raised here."""

    def __init__(self) -> None:
        super().__init__()
        self._connection: Connection | None = None
        self._data_docs_dir: Path | None = None
        self._fell_back = False
        self._validating = False   # a document GX validates came back
        self._given_way = False
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

    def add(self, index: int, suites: list[SuiteSpec]) -> None:
        self._validating = True
        super().add(index, suites)
        if suites and not self._fell_back and not self._send(("suites", index, suites)):
            self._fell_back = True   # validated here at the end, all of them

    def findings(self, data_docs_dir: Path | None) -> list[Finding]:
        self._data_docs_dir = data_docs_dir
        if not self._suites:   # none (Summary Data only): the process is stopped unused
            self.close()
            return []
        if not self._fell_back and self._send(("end", data_docs_dir)):
            kind, payload = self._receive()
            if kind == "findings":
                self._findings = payload
                return self._findings
        return self._fall_back()

    def passed_over(self) -> None:
        if not self._validating and not self._given_way and self._connection is not None:
            with contextlib.suppress(OSError):   # raising a process's niceness needs no privilege
                os.setpriority(os.PRIO_PROCESS, self._process.pid, NICENESS)
            self._given_way = True

    def finish(self) -> None:
        if not self._fell_back and self._connection is not None:
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

    def _send(self, message: tuple) -> bool:
        """Whether the process took the message."""
        try:
            if self._connection is not None:
                self._connection.send(message)
                return True
        except Exception:   # noqa: BLE001 - a process gone, or suites that do not pickle
            pass
        return False

    def _receive(self) -> tuple[str, Any]:
        """The process's next message: ("findings", [...]), ("done", None), ("error", text), or
        ("lost", None) if it died."""
        try:
            if self._connection is not None:
                return self._connection.recv()
        except Exception:   # noqa: BLE001 - EOF (died), or an answer that does not unpickle
            pass
        return "lost", None

    def _fall_back(self) -> list[Finding]:
        """Validate here, Data Docs included, into a folder emptied of what the process left."""
        self.close()
        self._fell_back = True
        data_docs_dir = self._data_docs_dir
        if data_docs_dir is not None and data_docs_dir.is_dir():
            for leftover in data_docs_dir.iterdir():
                if leftover.is_dir():
                    shutil.rmtree(leftover)
                else:
                    leftover.unlink()
        return super().findings(data_docs_dir)


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


def _drained(connection: Connection) -> queue.Queue:
    """The connection's messages, read as soon as they are sent by a thread of their own, so that
    the command never waits on a full pipe while a suite is being validated; ("gone", None) once
    the command has closed it."""
    inbox: queue.Queue = queue.Queue()

    def drain() -> None:
        while True:
            try:
                message = connection.recv()
            except (EOFError, OSError):
                inbox.put(("gone", None))
                return
            inbox.put(message)
            if message[0] != "suites":
                return

    threading.Thread(target=drain, name="suites-inbox", daemon=True).start()
    return inbox


def _serve(connection: Connection) -> None:
    """The process: import GX while the command reads, validate each document's suites as they
    come, answer with all their findings in the documents' order, then build Data Docs and say so."""
    try:
        from expectations.suites import SuiteValidator, import_gx
        defer(UNUSED_BY_THE_SUITES)
        import_gx()
        validator: SuiteValidator | None = None
        found: dict[int, list] = {}
        inbox = _drained(connection)
        message = inbox.get()
        while message[0] == "suites":
            _, index, suites = message
            validator = validator or SuiteValidator()
            found[index] = validator.validate(suites)
            message = inbox.get()
        kind, data_docs_dir = message
        if kind == "gone":
            return
        connection.send(("findings", [finding for index in sorted(found) for finding in found[index]]))
        if validator is not None and data_docs_dir is not None:
            validator.build_data_docs(data_docs_dir)
        connection.send(("done", None))
    except (EOFError, BrokenPipeError, KeyboardInterrupt):   # the command has gone: nothing to answer
        return
    except Exception as error:   # noqa: BLE001 - the command validates itself instead
        with contextlib.suppress(OSError):
            connection.send(("error", f"{type(error).__name__}: {error}"))
