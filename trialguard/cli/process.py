"""The trialguard process: how it prepares its streams, and how what stops a command becomes a
message on stderr and an exit code."""

from __future__ import annotations

import argparse
import atexit
import gc
import io
import sys
import tempfile
import traceback

from trialguard.cli.exit_codes import EXIT_CLEAN, EXIT_INTERNAL, EXIT_UNUSABLE
from trialguard.errors import UsageError

OUT_OF_MEMORY = (
    "the run ran out of memory after reading the transfer; run it on a machine with more free "
    "memory (or close other programs)"
)


def run_command(args: argparse.Namespace) -> int:
    """The exit code of the command the arguments name; a failure is one line on stderr."""
    try:
        return args.run(args)
    except UsageError as error:
        print(f"trialguard: {error}", file=sys.stderr)
        return EXIT_UNUSABLE
    except BrokenPipeError:  # output piped into a program that stopped reading (e.g. head)
        sys.stderr.close()
        return EXIT_CLEAN
    except KeyboardInterrupt:
        print("trialguard: interrupted", file=sys.stderr)
        return EXIT_INTERNAL
    except OSError as error:  # what the system refused: a path too long, a full disk, ...
        print(f"trialguard: {_os_error_text(error)}", file=sys.stderr)
        return EXIT_UNUSABLE
    except MemoryError:  # past the reading (a dataset too large to read is unreadable)
        print(f"trialguard: {OUT_OF_MEMORY}", file=sys.stderr)
        return EXIT_UNUSABLE
    except Exception:
        return _internal_error()


def spare_the_command_process() -> None:
    """Two costs a process that runs trialguard only need not pay.  pandera's checks import its
    data-synthesis strategies, and those import hypothesis where a test setup installed it (a
    tenth of a second): the command synthesises no data, and runs as where hypothesis is
    absent.  At exit, the interpreter's last garbage collections walk every object the run made
    (a fifth of a second after a small study): the process is ending, so they are skipped."""
    sys.modules.setdefault("hypothesis", None)  # type: ignore[arg-type]
    atexit.register(gc.freeze)


def never_fail_to_print() -> None:
    """A terminal whose locale cannot show a character (a strict ASCII locale, a name that is
    not UTF-8) gets its escape (`\\xe9`, `\\udce9`) instead of stopping the run."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def _os_error_text(error: OSError) -> str:
    where = f"{error.filename}: " if error.filename is not None else ""
    return f"{where}{error.strerror or error}"


def _internal_error() -> int:
    with tempfile.NamedTemporaryFile(
        "w", prefix="trialguard-crash-", suffix=".log", delete=False
    ) as log:
        traceback.print_exc(file=log)
    print(
        f"trialguard: sorry, an internal error stopped the run. Details were written to {log.name}",
        file=sys.stderr,
    )
    return EXIT_INTERNAL
