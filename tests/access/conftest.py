"""The access matrix's results and their printing: each row of
``test_access_matrix.py`` records its cells here, and the matrix is printed at the end of
the run (terminal summary), so that it is in the output of every ``make test``."""

from __future__ import annotations

from dataclasses import dataclass

#: Filled by the rows as they run: (section, order, row label) → {column: Cell}.
RESULTS: dict[tuple[str, tuple, str], dict[str, "Cell"]] = {}
#: Column keys and headers, in order; set by the test module.
COLUMNS: list[tuple[str, str]] = []
LEGEND: list[str] = []


@dataclass
class Cell:
    own: str  # the answer on the person's own department's object (or the only answer)
    other: str | None = None  # on another department's object; None: not department-specific
    flag: str = ""  # "" as expected, "!" wrong answer, "$" a secret in the body, "x" a known failure

    def text(self) -> str:
        answer = self.own if self.other is None else f"{self.own}/{self.other}"
        return answer + self.flag


def record(section: str, order: tuple, label: str, column: str, cell: Cell) -> None:
    RESULTS.setdefault((section, order, label), {})[column] = cell


def render() -> list[str]:
    if not RESULTS:
        return []
    label_width = max(len(label) for _section, _order, label in RESULTS) + 2
    widths = {
        key: max([len(header)] + [len(row[key].text()) for row in RESULTS.values() if key in row]) + 2
        for key, header in COLUMNS
    }
    header = "".ljust(label_width) + "".join(title.ljust(widths[key]) for key, title in COLUMNS)
    cells = sum(1 + (cell.other is not None) for row in RESULTS.values() for cell in row.values())
    flagged = sum(bool(cell.flag) for row in RESULTS.values() for cell in row.values())
    lines = [*LEGEND, "", f"{len(RESULTS)} rows, {cells} answers checked, {flagged} flagged."]
    current = None
    for (section, _order, label), row in sorted(RESULTS.items(), key=lambda item: item[0][:2]):
        if section != current:
            current = section
            lines += ["", section, header, "-" * len(header)]
        lines.append(label.ljust(label_width) + "".join(
            (row[key].text() if key in row else "·").ljust(widths[key]) for key, _title in COLUMNS))
    return lines


def pytest_terminal_summary(terminalreporter):
    lines = render()
    if not lines:
        return
    terminalreporter.section("access matrix (tests/access)")
    for line in lines:
        terminalreporter.write_line(line)
