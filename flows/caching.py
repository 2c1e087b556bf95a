"""Task caching across runs: a task's inputs, with its input files by CONTENT, plus its source code.

Prefect's default policy includes the flow-run id, so it never hits across runs, and its INPUTS
policy hashes a path argument as the path string, not the file (PrefectHQ/prefect#7646): a pool
that grew under the same name would hit the old key. `WorkdirInputs` keys a task on
- its input files' content fingerprints (size + SHA-256 of each file; a folder: of the files a glob
  names in it), for the parameters the task declares as inputs (`files=`);
- every other argument as it is, with paths inside the workdir written relative to it;
- the local files and folders named inside the arguments it declares with `named=` (a translation
  memory, a local model or an external test set inside a spec), by content, and the WARC files named
  in `stat=` arguments by size and modification time (archives are too large to hash at every rerun);
- its source code (Prefect's TASK_SOURCE) and the source of the library code it runs (`code=`, by
  default curate/ and crawl/normalize.py), so a fixed tokenizer or filter reruns the stages it feeds.

The workdir is the folder that holds the cache keys (`in_workdir` puts them in WORKDIR/.prefect-cache)
and the task results (WORKDIR/.prefect-results): a workdir carries its own cache, and a moved or
copied workdir hits every key it had (delete it and the cache is gone).
"""

from __future__ import annotations

import glob
import hashlib
from dataclasses import asdict, dataclass, field, is_dataclass, replace
from functools import lru_cache
from pathlib import Path, PurePath
from typing import Any, TypeVar

from prefect.cache_policies import TASK_SOURCE, CachePolicy
from prefect.utilities.hashing import hash_objects
from pydantic import BaseModel

CACHE_FOLDER = ".prefect-cache"
RESULTS_FOLDER = ".prefect-results"

T = TypeVar("T")


@dataclass
class WorkdirInputs(CachePolicy):
    """Cache key from the task's arguments (input files by content, workdir paths relative) and its source.

    Args:
        files: parameter name -> the glob(s) naming its input files inside a folder argument
            (`()` for a file argument, or a list of files). Only inputs: an output's content changes
            when the task runs, and a key on it would never hit.
        exclude: parameters left out of the key (a server address that changes from run to run).
        named: parameters (specs, step lists, a model path) whose values may name local input files or
            folders (absolute paths): each is keyed by content (named_files).
        stat: parameters naming large local inputs (WARC files, or globs of them): keyed by size and
            modification time (stat_files).
        code: library source (folders or files, relative to the repository root) keyed by content.
        outputs: parameter name -> the glob(s) naming the files the task writes (as `files`). A cache
            record is a hit only while those files are older than the record: a task writes its outputs
            at fixed paths, so after inputs A, then B, a rerun with A would otherwise get A's record
            back with B's files in place (or files edited by hand). Such a stale record is deleted
            here, and the task runs again.
    """

    files: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    named: tuple[str, ...] = ()
    stat: tuple[str, ...] = ()
    code: tuple[str, ...] = ()
    outputs: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def compute_key(
        self, task_ctx, inputs: dict[str, Any], flow_parameters: dict[str, Any], **kwargs: Any
    ) -> str | None:
        root = self.workdir()
        keyed = {}
        for name, value in (inputs or {}).items():
            if name in self.exclude:
                continue
            keyed[name] = relative(value, root)
            if name in self.files:
                keyed[name + ":content"] = content_fingerprint(value, self.files[name], root)
            if name in self.named:
                keyed[name + ":named"] = named_files(value, root)
            if name in self.stat:
                keyed[name + ":stat"] = stat_files(value, root)
        source = TASK_SOURCE.compute_key(task_ctx, inputs, flow_parameters, **kwargs)
        key = hash_objects(keyed, source, code_digest(self.code), raise_on_failure=True)
        if root is not None and self.outputs:
            written = [content for name, globs in self.outputs.items() for content in _files(inputs.get(name), globs)]
            forget_if_stale(root, key, written)
        return key

    def workdir(self) -> Path | None:
        """The workdir: the folder holding the key storage (None until `in_workdir` places the task)."""
        return Path(self.key_storage).parent if isinstance(self.key_storage, (str, PurePath)) else None

    def __sub__(self, other: str) -> WorkdirInputs:
        return replace(self, exclude=[*self.exclude, other])


LIBRARY_CODE = ("curate", "crawl/normalize.py")  # what the curate stages run (tokens, dedup keys, filters)
REPOSITORY = Path(__file__).resolve().parent.parent


def forget_if_stale(workdir: Path, key: str, outputs: list[Path]) -> bool:
    """Delete the cache record `key` (metadata and result) when one of `outputs` was written after it;
    return whether it was. Outputs are written before the record (Prefect persists a result after the
    task returns), so a newer output was written by another run or by hand."""
    record = Path(workdir) / CACHE_FOLDER / key
    try:
        recorded = record.stat().st_mtime_ns
    except FileNotFoundError:
        return False
    newest = max((path.stat().st_mtime_ns for path in outputs if path.is_file()), default=None)
    if newest is None or newest <= recorded:
        return False
    record.unlink(missing_ok=True)
    (Path(workdir) / RESULTS_FOLDER / key).unlink(missing_ok=True)
    return True


def _files(value: Any, globs: tuple[str, ...]) -> list[Path]:
    """The files a path argument (or a list of them) names: itself, or for a folder what `globs` match."""
    paths = value if isinstance(value, (list, tuple)) else [value]
    found = []
    for path in (Path(p) for p in paths if p is not None):
        found += sorted({f for g in globs for f in path.glob(g) if f.is_file()}) if path.is_dir() and globs else [path]
    return found


def cached(
    named: tuple[str, ...] = (), stat: tuple[str, ...] = (), code: tuple[str, ...] = LIBRARY_CODE,
    outputs: dict[str, str | tuple[str, ...]] | None = None, **files: str | tuple[str, ...],
) -> WorkdirInputs:
    """The cache policy of a task whose input files are the parameters named: `cached(pool=())` for a
    file, `cached(dataset="data/*.parquet")` for the files a glob names in a folder argument;
    `named=("spec",)` for files a spec names, `stat=("input",)` for archives, `code=()` for a stage that
    runs no curate code, `outputs={"output": ()}` for the files it writes (see WorkdirInputs)."""
    def globs(declared: dict[str, str | tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        return {name: (value,) if isinstance(value, str) else tuple(value) for name, value in declared.items()}

    return WorkdirInputs(
        files=globs(files), named=tuple(named), stat=tuple(stat), code=tuple(code), outputs=globs(outputs or {}),
    )


def _paths_in(value: Any) -> list[str]:
    """The absolute local paths (not URLs) among the strings and paths of a value, through pydantic
    models, dataclasses, dicts, lists and tuples (recipe paths are absolute once loaded)."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    elif is_dataclass(value) and not isinstance(value, type):
        value = asdict(value)
    if isinstance(value, dict):
        return [path for item in value.values() for path in _paths_in(item)]
    if isinstance(value, (list, tuple)):
        return [path for item in value for path in _paths_in(item)]
    if isinstance(value, PurePath) or (isinstance(value, str) and value.startswith("/") and "\n" not in value):
        return [str(value)]
    return []


def named_files(value: Any, root: Path | None = None) -> list:
    """[(name, size, sha256)] of every local file an argument names, a named folder's files included
    (sorted); words, URLs and paths that do not exist add nothing."""
    existing = [path for path in map(Path, _paths_in(value)) if path.exists()]
    return [(relative(member, root), *_file_digest(member)) for member in _files(existing, ("**/*",))]


def stat_files(value: Any, root: Path | None = None) -> list:
    """[(name, size, mtime_ns)] of the local files an argument names, globs expanded (a WARC folder that
    gains a file, or a file downloaded again, changes the key without hashing gigabytes)."""
    found = []
    for text in _paths_in(value):
        matches = sorted(Path(m) for m in glob.glob(text)) if glob.has_magic(text) else [Path(text)]
        for path in matches:
            try:
                info = path.stat()
            except FileNotFoundError:
                found.append((relative(path, root), None, None))
                continue
            found.append((relative(path, root), info.st_size, info.st_mtime_ns))
    return found


def code_digest(packages: tuple[str, ...]) -> str:
    """SHA-256 of the Python source of `packages` (folders or files relative to the repository root)."""
    return _code_digest(tuple(packages))


@lru_cache(maxsize=64)
def _code_digest(packages: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for package in packages:
        path = REPOSITORY / package
        for member in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(member.relative_to(REPOSITORY).as_posix().encode() + b"\0" + member.read_bytes())
    return digest.hexdigest()


def relative(value: Any, root: Path | None) -> Any:
    """`value` with every path inside `root` (Path, or a str naming an absolute path) written relative
    to it, through lists, tuples, dicts and pydantic models."""
    if root is None:
        return value
    if isinstance(value, BaseModel):
        return relative(value.model_dump(mode="json"), root)
    if isinstance(value, dict):
        return {key: relative(item, root) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [relative(item, root) for item in value]
    if isinstance(value, PurePath) or (isinstance(value, str) and value.startswith("/")):
        path = Path(value)
        if path.is_absolute():
            try:
                return "<workdir>/" + path.resolve().relative_to(root.resolve()).as_posix()
            except ValueError:
                return str(path)
        return str(path)
    return value


def content_fingerprint(value: Any, globs: tuple[str, ...], root: Path | None = None) -> list:
    """[(name, size, sha256)] of the files `value` names (a path, or a list of paths); for a folder, of the
    files its `globs` match in it, sorted. A missing file is `(name, None, None)`; names are workdir-relative."""
    return [(relative(member, root), *_file_digest(member)) for member in _files(value, globs)]


def _file_digest(path: Path) -> tuple[int | None, str | None]:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None, None
    return stat.st_size, _digest(path.resolve(), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=4096)
def _digest(path: Path, size: int, mtime_ns: int) -> str:
    """SHA-256 of a file, remembered per (path, size, mtime) so a flow that keys several tasks on the
    same pool reads it once."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def in_workdir(task: T, workdir: Path, *outputs: Path) -> T:
    """`task` (decorated with a WorkdirInputs cache policy) with its cache keys and results under `workdir`.

    `outputs`: the files or folders the call writes. A cache record only says the task ran; if one of its
    outputs has since been deleted by hand, the record is not trusted: the task runs again and replaces it.
    """
    workdir = Path(workdir).resolve()
    placed = task.with_options(
        cache_policy=task.cache_policy.configure(key_storage=workdir / CACHE_FOLDER),
        result_storage=results_storage(workdir),
    )
    return rerun_if_missing(placed, *outputs)


def rerun_if_missing(task: T, *outputs: Path) -> T:
    """`task` as it is, or, when one of the `outputs` its call writes is gone, made to run again and
    replace its cache record (for a task placed once with `in_workdir` and called once per shard)."""
    return task if all(Path(output).exists() for output in outputs) else task.with_options(refresh_cache=True)


def results_storage(workdir: Path):
    """A saved LocalFileSystem block for `workdir`'s task results (Prefect only takes saved blocks).

    Results are stored under their cache key, relative to the block's folder, so a moved workdir reads
    them through its own block (named after its current place)."""
    from prefect.filesystems import LocalFileSystem

    folder = (Path(workdir) / RESULTS_FOLDER).resolve()
    name = "clsforge-results-" + hashlib.sha256(str(folder).encode()).hexdigest()[:16]
    try:
        return LocalFileSystem.load(name)
    except ValueError:  # not saved on this server yet
        block = LocalFileSystem(basepath=str(folder))
        block.save(name, overwrite=True)
        return block
