"""State machines, one per model, and the one way a state changes (DESIGN §6, STYLE "Writes").

A ``Workflow`` names a model's transitions: from which states each may run, to which state
it leads, which permission it needs (an action of ``portal.permissions``) and which event it
writes. Services run a transition with ``Workflow.step``, which — in one transaction —
locks the row, checks the actor's permission and the current state, lets the service do
its part, then sets the new state, saves and records the event::

    with DISCLOSURE.step("submit", disclosure, actor=actor) as step:
        step.obj.submitted_by = actor          # the service's own part
    return step.obj

The admin's action buttons (``portal.admin_scoping``) and any other surface ask
``Workflow.available(user, obj)`` which steps a user may take on an object now.

Creation is a transition from ``NEW`` (the object has no row yet): its permission is the
``add`` permission on the object's department.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from portal import batched_writes, events, permissions

#: The state of an object that has no row yet.
NEW = ""


class TransitionError(ValidationError):
    """The object is not in a state that allows this step, or the step is missing something it needs."""


@dataclass(frozen=True)
class Ask:
    """An input a step asks for, by the name of a field of the model admin's action form
    (``comment``, ``text``, ``department``, ``on`` …). The admin builds the step's own form
    page from these: a long text is a multi-line box, ``required`` is checked there."""

    name: str
    required: bool = False
    #: What the field is called on this step's page (else the action form's label).
    label: Promise | str | None = None
    help_text: Promise | str | None = None


@dataclass(frozen=True)
class Transition:
    name: str
    label: Promise | str
    sources: frozenset[str]
    #: The state the step leads to; None: it keeps the state, or the service chooses (``Step.to``).
    target: str | None
    event: events.EventKind
    #: The ``portal.permissions`` action the actor needs on the object; None for the citizen's
    #: own steps (filing, rating), which the service authenticates itself.
    action: str | None = "change"
    #: What a refused actor is told.
    denied: Promise | str | None = None
    #: Offered on an object only when this says so (the service refuses the rest with its reason).
    offered_if: Callable[[Any], bool] | None = None
    #: What the step asks for (a comment, a reason, a reply, a department …) on its form page.
    asks: tuple[Ask, ...] = ()
    #: Offered on the change list for many objects at once; False where each object needs
    #: its own words (a reply, a reason), so the step is taken on the object's page.
    batch: bool = True

    @property
    def needs_input(self) -> bool:
        """Whether the step cannot run without its form (something it asks for is required)."""
        return any(ask.required for ask in self.asks)


@dataclass
class Step:
    """A transition under way: the locked object, the state it will reach and the event's payload."""

    obj: Any
    to: str | None
    event: events.EventKind
    payload: dict = field(default_factory=dict)


class Workflow:
    def __init__(self, model: type[Model], *transitions: Transition, state_field: str = "status", noun: str = ""):
        self.model = model
        self.state_field = state_field
        self.noun = noun
        self.transitions = {transition.name: transition for transition in transitions}
        if len(self.transitions) != len(transitions):
            raise ValueError(f"{model.__name__}: two transitions share a name")

    def __getitem__(self, name: str) -> Transition:
        return self.transitions[name]

    def __repr__(self):
        return f"<Workflow {self.model._meta.label}: {', '.join(self.transitions)}>"

    # --- questions ---------------------------------------------------------------------
    def state_of(self, obj) -> str:
        return NEW if obj.pk is None else getattr(obj, self.state_field)

    def permitted(self, user, transition: Transition, obj) -> bool:
        if transition.action is None:
            return True
        if obj.pk is None:
            return permissions.can_add(user, obj)
        return permissions.can(user, transition.action, obj)

    def available(self, user, obj) -> list[Transition]:
        """The staff steps ``user`` may take on ``obj`` in its current state (one permission
        query per step that the state allows)."""
        state = self.state_of(obj)
        return [
            transition
            for transition in self.transitions.values()
            if transition.action is not None
            and state in transition.sources
            and (transition.offered_if is None or transition.offered_if(obj))
            and self.permitted(user, transition, obj)
        ]

    # --- checks ------------------------------------------------------------------------
    def expect(self, obj, transition: Transition) -> None:
        """Refuse the step if ``obj`` is not in one of its source states."""
        state = self.state_of(obj)
        if state in transition.sources:
            return
        labels = dict(self.model._meta.get_field(self.state_field).flatchoices)
        raise TransitionError(
            _("“%(object)s” is %(status)s; this step needs it to be %(expected)s.")
            % {
                "object": obj,
                "status": labels.get(state, state),
                "expected": " / ".join(str(labels[source]) for source in sorted(transition.sources) if source in labels),
            }
        )

    def require(self, actor, transition: Transition, obj) -> None:
        if not self.permitted(actor, transition, obj):
            raise PermissionDenied(transition.denied or _("You may not do this: %(step)s.") % {"step": transition.label})

    def lock(self, obj):
        """The object's row, locked for the rest of the transaction and read afresh."""
        return self.model._default_manager.select_for_update(of=("self",)).get(pk=obj.pk)

    # --- the one way a state changes -----------------------------------------------------
    @contextmanager
    def step(self, name: str, obj, *, actor, **payload) -> Iterator[Step]:
        """Run transition ``name`` on ``obj`` for ``actor``: lock, check permission and state,
        let the caller do its part (it may set ``step.to`` or ``step.event`` and add to
        ``step.payload``), then
        set the state, save and record the event — all in one transaction."""
        transition = self.transitions[name]
        # Inside a large import's row, that row's savepoint is the one that counts (batched_writes).
        with transaction.atomic(savepoint=batched_writes.savepoint()):
            current = obj if obj.pk is None else self.lock(obj)
            self.require(actor, transition, current)
            self.expect(current, transition)
            before = self.state_of(current)
            step = Step(obj=current, to=transition.target, event=transition.event, payload=dict(payload))
            if before == NEW and transition.target:
                setattr(current, self.state_field, transition.target)  # the caller may save the new row itself
            yield step
            current = step.obj  # the caller may hand over its edited copy of the row
            after = step.to if step.to is not None else before
            if after != NEW:
                setattr(current, self.state_field, after)
            current.save()
            events.record(step.event, actor=actor, subject=current, from_state=before, to_state=after, **step.payload)


_workflows: dict[type[Model], Workflow] = {}


def register(workflow: Workflow) -> Workflow:
    """Make a model's workflow known to the admin and the other surfaces (``AppConfig.ready()``)."""
    _workflows[workflow.model] = workflow
    return workflow


def for_model(model: type[Model]) -> Workflow | None:
    return _workflows.get(model)
