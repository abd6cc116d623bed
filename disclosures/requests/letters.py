"""The reply letters of an information request: one per outcome, each with its legal basis
and the requester's rights of review and appeal filled in (Regulations arts. 36–39)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosures.models.requests import Outcome, SubReason

S = SubReason

#: The article of the Regulations on Open Government Information (2019) behind each reason.
BASIS = {
    S.STATE_SECRET: gettext_lazy("article 14"),
    S.FORBIDDEN_BY_LAW: gettext_lazy("article 14"),
    S.ENDANGERS_SECURITY: gettext_lazy("article 14"),
    S.THIRD_PARTY: gettext_lazy("article 15"),
    S.INTERNAL_AFFAIRS: gettext_lazy("article 16, paragraph 1"),
    S.PROCESS_INFORMATION: gettext_lazy("article 16, paragraph 2"),
    S.ENFORCEMENT_FILES: gettext_lazy("article 16, paragraph 2"),
    S.QUERY_MATTERS: gettext_lazy("article 36, item 7"),
    S.NOT_HELD: gettext_lazy("article 36, item 4"),
    S.NEEDS_CREATING: gettext_lazy("article 38"),
    S.STILL_UNCLEAR: gettext_lazy("article 30"),
    S.COMPLAINT: gettext_lazy("article 39, paragraph 1"),
    S.REPEAT: gettext_lazy("article 36, item 6"),
    S.PUBLICATION: gettext_lazy("article 39, paragraph 2"),
    S.EXCESSIVE: gettext_lazy("article 35"),
    S.CONFIRM_OR_REISSUE: gettext_lazy("article 39, paragraph 2"),
    S.NOT_CORRECTED: gettext_lazy("article 30"),
    S.FEE_UNPAID: gettext_lazy("article 42"),
}


def _decision(outcome: str, sub_reason: str, form: str) -> str:
    reason = SubReason(sub_reason).label if sub_reason else ""
    basis = BASIS.get(sub_reason, "")
    grounds = {"reason": reason, "basis": basis}
    return {
        Outcome.ALREADY_PUBLIC: _("The information you asked for has already been made public; where to find it is "
                                  "set out below (article 36, item 1)."),
        Outcome.DISCLOSED: _("We have decided to disclose the information you asked for. It is provided as you "
                             "preferred: %(form)s (article 36, item 2).") % {"form": form},
        Outcome.PARTLY: _("We have decided to disclose part of the information you asked for, provided as you "
                          "preferred: %(form)s. Why the rest is not disclosed is set out below (article 37).")
        % {"form": form},
        Outcome.NOT_DISCLOSED: _("We have decided not to disclose the information you asked for. Reason: %(reason)s "
                                 "(Regulations on Open Government Information, %(basis)s).") % grounds,
        Outcome.CANNOT_PROVIDE: _("The information you asked for cannot be provided. Reason: %(reason)s "
                                  "(Regulations on Open Government Information, %(basis)s).") % grounds,
        Outcome.NOT_PROCESSED: _("Your request is not processed as a request for government information. Reason: "
                                 "%(reason)s (Regulations on Open Government Information, %(basis)s).") % grounds,
        Outcome.OTHER: (_("Your request has been handled otherwise. Reason: %(reason)s (Regulations on Open Government "
                          "Information, %(basis)s).") if basis else _("Your request has been handled otherwise. "
                                                                      "Reason: %(reason)s.")) % grounds,
    }[Outcome(outcome)]


def rights() -> str:
    """The requester's remedies (Regulations art. 51; Administrative Review Law art. 20;
    Administrative Litigation Law art. 46)."""
    return _("If you consider that this reply infringes your lawful rights and interests, you may apply for "
             "administrative review within 60 days of receiving it, or bring an administrative lawsuit before a "
             "people's court within six months of receiving it.")


def compose(request, *, outcome: str, sub_reason: str, text: str) -> str:
    """The whole reply letter: the heading, the decision and its basis, the department's own
    words, the remedies — in the county's language (``LANGUAGE_CODE``), whoever's screen
    it was written on: it is kept and sent as it stands."""
    with translation.override(settings.LANGUAGE_CODE):
        return _compose(request, outcome=outcome, sub_reason=sub_reason, text=text)


def _compose(request, *, outcome: str, sub_reason: str, text: str) -> str:
    from disclosures.models.requests import ReplyForm

    heading = _("%(department)s — reply to request %(code)s received on %(date)s") % {
        "department": request.department.name, "code": request.tracking_code,
        "date": request.received_on.isoformat(),
    }
    parts = [heading, _decision(outcome, sub_reason, str(ReplyForm(request.reply_form).label))]
    if text.strip():
        parts.append(text.strip())
    parts.append(rights())
    return "\n\n".join(parts)
