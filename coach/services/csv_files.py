"""Reading uploaded CSV files the same way everywhere: UTF-8, a header, bounded rows.

Each import validates every row before writing anything; this module gives it the rows
with their numbers and turns file-level faults into located problems.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

MAX_ROWS = 200_000


@dataclass(frozen=True)
class Problem:
    """One reason a file cannot be imported, located by row (1 is the header) and column."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.reason}"


@dataclass
class Outcome:
    """Base of an import's summary: the problems, or what was done."""

    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file was valid (and so was imported)."""
        return not self.problems

    def done(self) -> str:
        """One line on what a clean import did (each import says it its own way)."""
        return "Imported."

    def lines(self) -> list[str]:
        """The summary in plain lines, for the page and the command."""
        if self.problems:
            head = f"Nothing was imported: {len(self.problems)} problem(s) in the file."
            return [head, *(str(p) for p in self.problems)]
        return [self.done()]


@dataclass(frozen=True)
class CsvRows:
    """A decoded file: its header and its data rows with their row numbers."""

    header: list[str]
    rows: Iterator[tuple[int, dict[str, str]]]


def read_csv(
    data: bytes, normalise: Callable[[str], str], problems: list[Problem]
) -> CsvRows | None:
    """The file's header and rows; None (with the problem noted) when it is not UTF-8 text.

    Rows with more values than columns, and rows past MAX_ROWS, become problems instead.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(Problem(line, "-", "wrong encoding: save the file as CSV in UTF-8"))
        return None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [normalise(h.strip()) for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    return CsvRows(header, _rows(reader, problems))


def _rows(
    reader: csv.DictReader[str], problems: list[Problem]
) -> Iterator[tuple[int, dict[str, str]]]:
    for number, raw in enumerate(reader, start=2):
        if number > MAX_ROWS + 1:
            problems.append(Problem(number, "-", f"more than {MAX_ROWS} rows"))
            return
        if None in raw:
            problems.append(Problem(number, "-", "more values than columns"))
            continue
        yield number, {k: v or "" for k, v in raw.items() if k is not None}
