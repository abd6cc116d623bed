"""Bench data: a county's ten years, generated for ``manage.py generate_bench_data``
(issue 15; bench/README.md).

``portal`` imports no app: each app registers a generator in ``AppConfig.ready()``
(``register(order, generate)``); ``generate(county)`` bulk-inserts its rows for
``county.scale`` (1 = 50 departments, 100,000 disclosures …) from ``county.random``, a
seeded generator, so that the same scale gives the same data. A new feature adds its
rows by registering one more generator.

Text is made of the sentences of the seed report (the county's own prose, in
Traditional Chinese), a third of it converted to Simplified as clerks type either.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable

from django.db import connection

from portal.chinese import to_simplified

SEED_TEXT = Path(__file__).resolve().parent / "bench_corpus.txt"

_generators: list[tuple[int, str, Callable]] = []


def register(order: int, generate: Callable[["County"], int]) -> None:
    """``generate(county)`` inserts an app's rows and returns how many."""
    name = f"{generate.__module__}.{generate.__qualname__}"
    if all(existing != name for _, existing, _ in _generators):
        _generators.append((order, name, generate))


def generators() -> list[tuple[str, Callable]]:
    return [(name, generate) for _, name, generate in sorted(_generators, key=lambda g: (g[0], g[1]))]


@dataclass
class County:
    """What every generator shares: the scale, one seeded random generator, and the rows
    generated before it (``county.shared``, e.g. the departments)."""

    scale: float
    seed: int = 15
    shared: dict = field(default_factory=dict)

    def __post_init__(self):
        self.random = random.Random(self.seed)

    def count(self, at_scale_one: int, minimum: int = 1) -> int:
        return max(minimum, round(at_scale_one * self.scale))

    @cached_property
    def sentences(self) -> tuple[list[str], list[str]]:
        """The corpus' sentences, in Traditional and Simplified."""
        text = SEED_TEXT.read_text(encoding="utf-8")
        found = [s.strip() for s in re.findall(r"[^。;!?\n]+[。;!?]", text) if len(s.strip()) >= 8]
        return found, [to_simplified(s) for s in found]

    def paragraphs(self, low: int, high: int, *, simplified: bool | None = None) -> list[str]:
        """Paragraphs of ``low``–``high`` characters in all."""
        traditional, simple = self.sentences
        pool = simple if (self.random.random() < 1 / 3 if simplified is None else simplified) else traditional
        target, size, paragraphs, current = self.random.randint(low, high), 0, [], []
        while size < target:
            sentence = self.random.choice(pool)
            current.append(sentence)
            size += len(sentence)
            if len(current) >= self.random.randint(3, 6):
                paragraphs.append("".join(current))
                current = []
        if current:
            paragraphs.append("".join(current))
        return paragraphs

    def phrase(self, low: int = 8, high: int = 30) -> str:
        """A short piece of a sentence (titles, subjects)."""
        sentence = self.random.choice(self.sentences[0])
        start = self.random.randint(0, max(0, len(sentence) - low))
        return sentence[start:start + self.random.randint(low, high)].strip(",、;。 ")


def copy_instances(model, instances) -> int:
    """Insert unsaved ``instances`` of ``model`` (primary keys set by the caller) in one
    COPY on PostgreSQL, ``bulk_create`` elsewhere: no ``save()``, no signals, no history
    rows — bench data, not a way to write real rows."""
    instances = list(instances)
    if not instances:
        return 0
    if connection.vendor != "postgresql":
        model.objects.bulk_create(instances, batch_size=500)
        return len(instances)
    import io
    import json

    from django.db.models import JSONField

    fields = model._meta.concrete_fields
    buffer = io.StringIO()
    for obj in instances:
        values = []
        for f in fields:
            value = f.pre_save(obj, add=True)
            if isinstance(f, JSONField):
                value = None if value is None else json.dumps(value, ensure_ascii=False)
            else:
                value = f.get_db_prep_save(value, connection)
            values.append(_copy_value(value))
        buffer.write("\t".join(values))
        buffer.write("\n")
    buffer.seek(0)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
    return len(instances)


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    text = value if isinstance(value, str) else str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def first_id(model) -> int:
    """The primary key the next generated row of ``model`` takes."""
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def reset_sequences(*models) -> None:
    """After rows were inserted with their own ids: the next ``save()`` continues after them."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1)) FROM {table}"
            )
