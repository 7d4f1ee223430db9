"""A mutation run of the XPT reader against pyreadstat, then of the whole validation.

    python benchmarks/xpt_mutation_run.py [--count 3000] [--seed 0] [--out DIR] [--workers 2]
                                          [--validate 200]

Makes --count mutated XPT files from seeds: every XPT file of the bundled samples
(sample_data/) and of ../shared/external (the XPORT v8 files of the CORE open-rules cases
among them), identical files once.  Each mutant is one to three edits of a seed, drawn as the
differential fuzz test draws them (tests/property/xpt_compare.py: bytes cut, overwritten,
inserted, repeated or deleted; NAMESTR fields, stored widths, header counts, values and the
number of observations changed).  Each is read by trialguard and by pyreadstat and counted as:
- agreement: the same values (the differences trialguard makes on purpose allowed), or read
  by trialguard where pyreadstat cannot read it at all (text it cannot decode);
- clear refusal: an InputError, by the class of its reason, and how many of those pyreadstat
  read anyway;
- disagreement: both read it, the values differ;
- crash: any other exception from trialguard (exit 3 for the user), a hang past --timeout
  seconds among them.
A disagreement or crash keeps its file in --out (`<n>-<seed>.xpt`, with the edits and what
happened in `<n>-<seed>.txt`) to reproduce it.

Then --validate of the mutants trialguard reads go through `trialguard.validate(folder,
spec="sdtm")`, the file in a folder of its own named after its dataset (beside the RESOLUTION
sample's DM when it is not DM, EX, AE or DL, so that the transfer has a dataset to start
from): rules whose check broke (status error) and exceptions are counted, their files kept.

Work is shared by --workers processes, each limited to --memory GiB of address space so that a
reader that asks for too much fails with MemoryError instead of taking the machine.  Same
arguments, same files, same table.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import random
import resource
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests" / "property"))

from xpt_compare import (  # noqa: E402
    EDITS,
    EXTERNAL,
    NUMBERS,
    SAMPLES,
    SPECIAL_BYTES,
    Outcome,
    XptSeed,
    compare_readings,
    mutate,
)

import trialguard  # noqa: E402
from trialguard.errors import UsageError  # noqa: E402
from trialguard.findings import Status  # noqa: E402

STARTING_DATASETS = {"dm", "ex", "ae", "dl", "dlt"}
DEFAULT_DM = SAMPLES / "resolution" / "clean" / "dm.xpt"


@dataclass(frozen=True)
class Mutant:
    number: int
    seed: Path
    edits: tuple

    @property
    def name(self) -> str:
        return f"{self.number:05d}-{self.seed.stem.lower()}"

    @property
    def dataset(self) -> str:
        return self.seed.stem.lower()


@dataclass(frozen=True)
class Result:
    mutant: Mutant
    outcome: Outcome
    seconds: float


def seed_files() -> tuple[list[Path], int]:
    """Every XPT file of the samples and of ../shared/external, identical ones once; and how
    many files there were in all."""
    files = sorted(SAMPLES.rglob("*.xpt")) + sorted(EXTERNAL.rglob("*.xpt"))
    distinct: dict[str, Path] = {}
    for path in files:
        distinct.setdefault(hashlib.sha256(path.read_bytes()).hexdigest(), path)
    return list(distinct.values()), len(files)


def draw_mutants(seeds: list[Path], count: int, seed: int) -> list[Mutant]:
    rng = random.Random(seed)
    payloads = SPECIAL_BYTES + NUMBERS
    kinds = sorted(EDITS)

    def edit() -> tuple:
        payload = rng.choice(payloads) if rng.random() < 0.5 else rng.randbytes(rng.randint(1, 12))
        return (rng.choice(kinds), rng.randrange(2**20 + 1), rng.randrange(64), payload)

    return [
        Mutant(n, rng.choice(seeds), tuple(edit() for _ in range(rng.randint(1, 3))))
        for n in range(count)
    ]


# ---------------------------------------------------------------- in the workers
_SEEDS: dict[Path, XptSeed] = {}
_TIMEOUT = 120


def start_worker(memory_gib: float, timeout: int) -> None:
    global _TIMEOUT
    _TIMEOUT = timeout
    limit = int(memory_gib * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.signal(signal.SIGALRM, _no_answer)


def _no_answer(*_) -> None:
    raise TimeoutError(f"no answer within {_TIMEOUT} s")


def mutated_bytes(mutant: Mutant) -> bytes:
    if mutant.seed not in _SEEDS:
        _SEEDS[mutant.seed] = XptSeed.of(mutant.seed.read_bytes())
    return mutate(_SEEDS[mutant.seed], mutant.edits)


def read_both(mutant: Mutant) -> Result:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="xpt-mutant-") as folder:
        path = Path(folder) / f"{mutant.dataset}.xpt"
        path.write_bytes(mutated_bytes(mutant))
        signal.alarm(_TIMEOUT)
        try:
            outcome = compare_readings(path, mutant.dataset.upper())
        except (TimeoutError, MemoryError) as error:  # in pyreadstat, out of compare's reach
            outcome = Outcome("crash", f"{type(error).__name__}: {error}")
        finally:
            signal.alarm(0)
    return Result(mutant, outcome, time.perf_counter() - started)


def validate_one(mutant: Mutant) -> tuple[Mutant, str, list[str]]:
    """(mutant, what happened: a verdict, 'refused: …' or 'crash: …', the rules that broke)."""
    with tempfile.TemporaryDirectory(prefix="xpt-validate-") as folder:
        transfer = Path(folder)
        (transfer / f"{mutant.dataset}.xpt").write_bytes(mutated_bytes(mutant))
        if mutant.dataset not in STARTING_DATASETS:
            shutil.copy(DEFAULT_DM, transfer / "dm.xpt")
        signal.alarm(_TIMEOUT * 3)
        try:
            report = trialguard.validate(transfer, spec="sdtm")
        except UsageError as error:
            return mutant, f"refused: {str(error)[:160]}", []
        except Exception as error:
            return mutant, f"crash: {type(error).__name__}: {str(error)[:160]}", []
        finally:
            signal.alarm(0)
    broken = [f"{r.rule.id}: {r.reason}" for r in report.results if r.status is Status.ERROR]
    return mutant, report.verdict, broken


# ---------------------------------------------------------------- the run
def keep(out: Path, mutant: Mutant, what: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{mutant.name}.xpt").write_bytes(mutated_bytes(mutant))
    edits = "\n".join(f"  {edit!r}" for edit in mutant.edits)
    (out / f"{mutant.name}.txt").write_text(f"seed: {mutant.seed}\nedits:\n{edits}\n{what}\n")


def run_reads(pool, mutants: list[Mutant], out: Path) -> list[Result]:
    results = []
    for result in pool.imap_unordered(read_both, mutants, chunksize=4):
        results.append(result)
        if result.outcome.kind in ("disagree", "crash"):
            keep(out, result.mutant, f"{result.outcome.kind}: {result.outcome.detail}")
    return sorted(results, key=lambda r: r.mutant.number)


def run_validations(pool, mutants: list[Mutant], out: Path) -> list[tuple]:
    runs = []
    for mutant, verdict, broken in pool.imap_unordered(validate_one, mutants):
        runs.append((mutant, verdict, broken))
        if broken or verdict.startswith("crash"):
            keep(out, mutant, f"validate: {verdict}\n" + "\n".join(broken))
    return sorted(runs, key=lambda r: r[0].number)


def print_reads(results: list[Result]) -> None:
    kinds = Counter(r.outcome.kind for r in results)
    refusals = Counter(r.outcome.detail for r in results if r.outcome.kind == "refused")
    read_anyway = Counter(
        r.outcome.detail
        for r in results
        if r.outcome.kind == "refused" and r.outcome.reference_read
    )
    print(f"\n{'outcome':<52}{'files':>7}{'pyreadstat read':>17}")
    print(f"{'agreement: the same values':<52}{kinds['agree']:>7}{kinds['agree']:>17}")
    per_value = sum(1 for r in results if r.outcome.kind == "agree" and r.outcome.detail)
    print(f"{'  of which text not UTF-8, decoded per value':<52}{per_value:>7}{per_value:>17}")
    print(f"{'agreement: read, pyreadstat cannot':<52}{kinds['trialguard-only']:>7}{0:>17}")
    print(f"{'clear refusal (InputError)':<52}{kinds['refused']:>7}{sum(read_anyway.values()):>17}")
    for reason, count in refusals.most_common():
        print(f"{'  ' + reason:<52}{count:>7}{read_anyway[reason]:>17}")
    print(f"{'disagreement':<52}{kinds['disagree']:>7}{kinds['disagree']:>17}")
    print(f"{'crash (any other exception)':<52}{kinds['crash']:>7}")
    print(f"{'total':<52}{len(results):>7}")
    for result in results:
        if result.outcome.kind in ("disagree", "crash"):
            print(f"  {result.mutant.name}: {result.outcome.kind}: {result.outcome.detail[:200]}")


def print_by_edit(results: list[Result]) -> None:
    """How the files each kind of edit took part in ended."""
    table: dict[str, Counter] = {kind: Counter() for kind in sorted(EDITS)}
    for result in results:
        for kind in {edit[0] for edit in result.mutant.edits}:
            table[kind][result.outcome.kind] += 1
    columns = ["agree", "trialguard-only", "refused", "disagree", "crash"]
    print(f"\n{'edit':<20}" + "".join(f"{c:>16}" for c in columns))
    for kind, counts in table.items():
        print(f"{kind:<20}" + "".join(f"{counts[c]:>16}" for c in columns))


def print_validations(runs: list[tuple]) -> None:
    verdicts = Counter(v.split(":")[0] for _, v, _ in runs)
    broken = Counter(line.split(":")[0] for _, _, lines in runs for line in lines)
    print(f"\nvalidated in process (spec sdtm): {len(runs)} files")
    for verdict, count in verdicts.most_common():
        print(f"  {verdict:<24}{count:>6}")
    print(f"  {'files with a broken rule':<24}{sum(1 for _, _, b in runs if b):>6}")
    for rule, count in broken.most_common():
        print(f"    {rule:<22}{count:>6}")
    for mutant, verdict, lines in runs:
        if lines or verdict.startswith(("crash", "refused")):
            print(f"  {mutant.name}: {verdict} {'; '.join(lines)[:300]}")


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=3000, help="mutated files to make")
    parser.add_argument("--seed", type=int, default=0, help="of the random choices")
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "xpt-mutations")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--validate", type=int, default=200, help="files to validate")
    parser.add_argument("--timeout", type=int, default=120, help="seconds for one read")
    parser.add_argument("--memory", type=float, default=6.0, help="GiB for one worker")
    return parser.parse_args()


def main() -> None:
    args = parse_arguments()
    started = time.perf_counter()
    seeds, files = seed_files()
    print(f"seeds: {len(seeds)} distinct XPT files of {files} ({SAMPLES}, {EXTERNAL})")
    mutants = draw_mutants(seeds, args.count, args.seed)
    context = multiprocessing.get_context("fork")
    with context.Pool(args.workers, start_worker, (args.memory, args.timeout)) as pool:
        results = run_reads(pool, mutants, args.out)
        read = [
            r.mutant for r in results if r.outcome.kind != "refused" and r.outcome.kind != "crash"
        ]
        chosen = random.Random(args.seed + 1).sample(read, min(args.validate, len(read)))
        runs = run_validations(pool, sorted(chosen, key=lambda m: m.number), args.out)
    print_reads(results)
    print_by_edit(results)
    print_validations(runs)
    slowest = max(results, key=lambda r: r.seconds)
    print(f"\nslowest read: {slowest.mutant.name} ({slowest.mutant.seed}) {slowest.seconds:.1f} s")
    print(f"kept for reproduction: {args.out}")
    print(f"{time.perf_counter() - started:.0f} s in all, {args.workers} workers")


if __name__ == "__main__":
    main()
