"""Sections of the home page that apps contribute (``portal`` imports no app).

An app registers a section in ``AppConfig.ready()``: a template and a function that
returns its context. Each function must run a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class HomeSection:
    name: str
    template: str
    context: Callable[[object], dict]
    order: int = 100


_sections: dict[str, HomeSection] = {}


def register(section: HomeSection) -> None:
    _sections[section.name] = section


def sections() -> list[HomeSection]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.name))
