"""The files of a release: folders walked, ZIP archives read safely, the files embedded in a PDF
(a PDF portfolio) taken out, single files as given."""

from __future__ import annotations

import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from documents.ingest.pdf_text import count_pages, embedded_files

# Limits that stop a hostile or broken ZIP before it fills the disk or memory.
MAX_ZIP_MEMBERS = 20_000
MAX_MEMBER_BYTES = 2 * 1024**3
MAX_ZIP_TOTAL_BYTES = 20 * 1024**3
# A member that inflates more than this many times over (and past 10 MB) is a bomb.
MAX_COMPRESSION_RATIO = 200
_RATIO_FLOOR_BYTES = 10 * 1024**2
# A link in a release folder is not followed (it may lead anywhere on the server), but reported.
SYMLINK_SKIPPED = (
    "skipped: a symbolic link, not followed (it may lead outside the release); "
    "put the file it points to in its place to import it"
)


class UnsafeArchive(ValueError):
    """The ZIP is refused; the message says why."""


@dataclass(frozen=True)
class SourceInput:
    """One file of the release: its name within the release and where to read its bytes."""

    name: str
    path: Path | None = None  # a file on disk
    archive: Path | None = None  # or a member of this ZIP
    member: str = ""
    data: bytes | None = None  # or these bytes, embedded in a PDF
    refused: str = ""  # why a ZIP member is not read at all
    size: int = 0  # bytes, as the file system or the ZIP says

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        if self.path is not None:
            return self.path.read_bytes()
        with zipfile.ZipFile(self.archive) as archive:
            info = archive.getinfo(self.member)
            with archive.open(info) as member:
                data = member.read(info.file_size + 1)
            if len(data) != info.file_size:
                raise UnsafeArchive(
                    f"{self.member}: its size differs from the size the ZIP declares"
                )
            return data


def iter_sources(paths: list[Path]) -> Iterator[SourceInput]:
    """Every file under ``paths`` in a stable order; a folder's files are named relative to it."""
    for entry in iter_entries(paths):
        yield from expand(entry)


def iter_entries(paths: list[Path]) -> Iterator[SourceInput]:
    """The files and ZIP members under ``paths``, without opening any PDF: cheap to count, and
    each one a unit the import worker can give a time limit (with ``expand``)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_symlink() or p.is_file()):
                yield from _entries(child, child.relative_to(path).as_posix(), in_folder=True)
        elif path.is_file():
            yield from _entries(path, path.name)
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")


def _entries(path: Path, name: str, in_folder: bool = False) -> Iterator[SourceInput]:
    """The file or the ZIP's members; a link found in a folder is reported, not followed (a
    path given by name is read wherever it leads: whoever gave it chose it)."""
    if name.startswith(".") or "/." in name:
        return  # hidden files (.DS_Store, ._resource forks) are not part of a release
    if in_folder and path.is_symlink():
        yield SourceInput(name=name, path=path, refused=SYMLINK_SKIPPED)
        return
    with path.open("rb") as handle:
        head = handle.read(4)
    if head == b"PK\x03\x04":
        yield from zip_members(path, name)
        return
    yield SourceInput(name=name, path=path, size=path.stat().st_size)


def pages_in(entry: SourceInput) -> int:
    """The pages of a PDF entry, for a progress bar's total: 0 for anything else, and for a PDF
    that cannot be read (its import says why)."""
    if entry.refused:
        return 0
    try:
        if entry.path is not None and entry.archive is None:
            with entry.path.open("rb") as handle:
                return count_pages(entry.path) if handle.read(4) == b"%PDF" else 0
        data = entry.read()
        return count_pages(data) if data[:4] == b"%PDF" else 0
    except Exception:
        return 0


def expand(entry: SourceInput) -> Iterator[SourceInput]:
    """The entry, then the files embedded in it when it is a PDF file (a PDF portfolio)."""
    yield entry
    if entry.path is None or entry.archive is not None or entry.refused:
        return
    with entry.path.open("rb") as handle:
        if handle.read(4) != b"%PDF":
            return
    for embedded, data in embedded_files(entry.path).items():
        yield SourceInput(name=f"{entry.name}/{PurePosixPath(embedded).name}", data=data)


def zip_problem(path: Path) -> str:
    """Why a ZIP would be refused, whole or in part ("" when every member is fine): what an
    upload form tells an admin before anything is stored."""
    refusals = [(s.name, s.refused) for s in zip_members(path, path.name) if s.refused]
    if not refusals:
        return ""
    name, reason = refusals[0]
    more = f" (and {len(refusals) - 1} more)" if len(refusals) > 1 else ""
    return f"{name}: {reason}{more}"


def zip_members(path: Path, name: str) -> Iterator[SourceInput]:
    """The regular files of a ZIP. Absolute paths, "..", links and device files are refused,
    as is an archive over the size, count or compression-ratio limits."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        yield SourceInput(name=name, path=path, refused=f"damaged ZIP archive: {error}")
        return
    with archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        problem = _archive_problem(infos)
        if problem:
            yield SourceInput(name=name, path=path, refused=problem)
            return
        for info in sorted(infos, key=lambda i: i.filename):
            member = PurePosixPath(info.filename)
            if member.name.startswith(".") or "__MACOSX" in member.parts:
                continue
            refused = _member_problem(info)
            yield SourceInput(
                name=f"{name}/{info.filename}",
                archive=path,
                member=info.filename,
                refused=refused,
                size=info.file_size,
            )


def _archive_problem(infos: list[zipfile.ZipInfo]) -> str:
    if len(infos) > MAX_ZIP_MEMBERS:
        return f"refused: the ZIP holds {len(infos):,} files, more than {MAX_ZIP_MEMBERS:,}"
    total = sum(info.file_size for info in infos)
    if total > MAX_ZIP_TOTAL_BYTES:
        return (
            f"refused: the ZIP would unpack to {total:,} bytes, more than {MAX_ZIP_TOTAL_BYTES:,}"
        )
    return ""


def _member_problem(info: zipfile.ZipInfo) -> str:
    member = PurePosixPath(info.filename.replace("\\", "/"))
    if member.is_absolute() or ".." in member.parts or ":" in member.parts[0]:
        return "refused: its path points outside the release"
    kind = stat.S_IFMT(info.external_attr >> 16)  # 0: no Unix file type recorded (Windows tools)
    if kind and kind != stat.S_IFREG:
        return "refused: a link or device file, not a regular file"
    if info.file_size > MAX_MEMBER_BYTES:
        return f"refused: {info.file_size:,} bytes unpacked, more than {MAX_MEMBER_BYTES:,}"
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > _RATIO_FLOOR_BYTES and ratio > MAX_COMPRESSION_RATIO:
        return f"refused: compressed {ratio:,.0f} to 1, a ZIP bomb"
    return ""
