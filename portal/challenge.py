"""The arithmetic question a public form asks a client that has filed often in the last hour
(complaints, information requests): kept in the session, no outside service needed."""

from __future__ import annotations

import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def question(request, *, key: str, needed: bool) -> list[str] | None:
    """[question, answer] for the form under ``key`` when ``needed``; the same one until answered."""
    if not needed:
        return None
    asked = request.session.get(key)
    if asked is None:
        a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
        asked = [_("What is %(a)d plus %(b)d?") % {"a": a, "b": b}, str(a + b)]
        request.session[key] = asked
    return asked


def answered(request, *, key: str) -> None:
    """The form was filed: the next filing gets a new question, if any."""
    request.session.pop(key, None)


class ChallengeForm(forms.Form):
    """A form with the ``challenge`` field, shown (and required) only when a question is asked."""

    challenge = forms.CharField(label=gettext_lazy("Answer"), max_length=10, required=False)

    def __init__(self, *args, challenge_question=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.challenge_question = challenge_question
        if challenge_question is None:
            del self.fields["challenge"]
        else:
            self.fields["challenge"].required = True
            self.fields["challenge"].label = challenge_question[0]

    def clean_challenge(self):
        answer = (self.cleaned_data.get("challenge") or "").strip()
        if self.challenge_question and answer != self.challenge_question[1]:
            raise ValidationError(_("That is not the right answer. Please try again."))
        return answer
