"""Check constraints decided without the database, where that gives the same answer.

Django's ``Model.validate_constraints`` asks the database about every ``CheckConstraint``
(a ``SELECT … WHERE <condition>`` inside a savepoint: three queries each). An import
validates every row, so a disclosure row paid nine queries for its three constraints.
``validate_constraints`` below decides in Python the conditions made only of comparisons of
the row's own fields (``=``, ``IS NULL``, ``<`` … on numbers and dates) joined by AND, OR and
NOT — with SQL's three-valued logic, a NULL comparison being unknown and an unknown
condition passing, as Django's ``COALESCE(condition, true)`` has it — and hands every other
constraint (unique ones, lookups across relations, functions) to Django as before. The
errors are the same, filed under the same keys.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import router
from django.db.models import CheckConstraint, F, Q
from django.db.models.constants import LOOKUP_SEP

#: A condition this module does not decide; the database does.
UNDECIDED = object()
#: Fields of these types compare in Python as they do in PostgreSQL (text only for equality:
#: ordering depends on the collation).
_ORDERED = (int, float, Decimal, dt.date, dt.datetime, dt.time)
_COMPARE = {
    "gt": lambda a, b: a > b, "gte": lambda a, b: a >= b, "lt": lambda a, b: a < b, "lte": lambda a, b: a <= b,
}


def validate_constraints(instance, *, exclude=frozenset()) -> None:
    """``instance.validate_constraints(exclude)``, with simple check constraints decided in Python."""
    using = router.db_for_write(type(instance), instance=instance)
    values = {field.name: getattr(instance, field.attname) for field in instance._meta.local_concrete_fields}
    values["pk"] = instance.pk
    errors = {}
    for model_class, constraints in instance.get_constraints():
        for constraint in constraints:
            try:
                verdict = holds(constraint, values, exclude) if model_class is type(instance) else UNDECIDED
                if verdict is UNDECIDED:
                    constraint.validate(model_class, instance, exclude=exclude, using=using)
                elif not verdict:
                    raise ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)
            except ValidationError as error:
                # As Model.validate_constraints files them.
                if getattr(error, "code", None) == "unique" and len(getattr(constraint, "fields", ())) == 1:
                    errors.setdefault(constraint.fields[0], []).append(error)
                else:
                    errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def holds(constraint, values: dict, exclude=frozenset()):
    """True or False for a check constraint decided from ``values`` ({field name: value});
    ``UNDECIDED`` for anything else. A constraint naming an excluded field holds (Django
    skips it)."""
    if not isinstance(constraint, CheckConstraint) or not isinstance(constraint.condition, Q):
        return UNDECIDED
    try:
        verdict = _evaluate(constraint.condition, values, set(exclude))
    except _Skip:
        return True
    except _Undecided:
        return UNDECIDED
    return verdict is not False  # unknown (NULL) passes


class _Undecided(Exception):
    pass


class _Skip(Exception):
    """The condition names a field that is excluded: Django leaves the constraint out."""


def _evaluate(q: Q, values: dict, exclude: set):
    results = [
        _evaluate(child, values, exclude) if isinstance(child, Q) else _lookup(*child, values, exclude)
        for child in q.children
    ]
    if q.connector == Q.AND:
        result = False if False in results else None if None in results else True
    elif q.connector == Q.OR:
        result = True if True in results else None if None in results else False
    else:
        raise _Undecided
    if q.negated:
        result = None if result is None else not result
    return result


def _field_value(name: str, values: dict, exclude: set):
    if name in exclude:
        raise _Skip
    if name not in values:
        raise _Undecided
    return values[name]


def _lookup(path: str, expected, values: dict, exclude: set):
    """One ``field__lookup=value``: True, False, or None (unknown) as SQL says."""
    name, _sep, lookup = path.partition(LOOKUP_SEP)
    lookup = lookup or "exact"
    if LOOKUP_SEP in lookup:
        raise _Undecided  # across a relation, or a transform
    actual = _field_value(name, values, exclude)
    if isinstance(expected, F):
        expected = _field_value(expected.name, values, exclude)
    elif hasattr(expected, "resolve_expression"):
        raise _Undecided
    if lookup == "isnull":
        if not isinstance(expected, bool):
            raise _Undecided
        return (actual is None) == expected
    if lookup == "exact" and expected is None:
        return actual is None  # Django turns `= None` into IS NULL
    if actual is None or expected is None:
        return None
    if isinstance(actual, str) and isinstance(expected, str):  # choices are str too
        if lookup == "exact":
            return str(actual) == str(expected)
        raise _Undecided
    if isinstance(actual, bool) or isinstance(expected, bool):
        if lookup == "exact" and isinstance(actual, bool) and isinstance(expected, bool):
            return actual == expected
        raise _Undecided
    if lookup in ("exact", *_COMPARE) and isinstance(actual, _ORDERED) and isinstance(expected, _ORDERED) and (
        isinstance(actual, dt.datetime) == isinstance(expected, dt.datetime)
    ):
        try:
            return actual == expected if lookup == "exact" else _COMPARE[lookup](actual, expected)
        except TypeError:  # a naive and an aware time
            raise _Undecided from None
    raise _Undecided
