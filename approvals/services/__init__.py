"""Every state change of approvals (DESIGN §3.4, STYLE "Writes").

Items and fees: establish, adjust, cancel, delegate (fees: suspend, resume) — each writes a
public change-log entry (``ItemChange`` / ``FeeChange``) and an event. Applications:
register, review, correction (the clock pauses), decide, reject, complete; the receipt at the
window carries the secret that rating needs (``receipts``). Ratings: a bad one opens a
rectification case; closing it publishes its outcome.

Admin actions, forms, imports, views and the demo loader all call these; none of them
changes state on its own. Each function checks the actor's permission inside one
transaction and refuses a step the current state does not allow with ``TransitionError``.
"""

from approvals.services.applications import (
    application_complete,
    application_correction_received,
    application_decide,
    application_register,
    application_reject,
    application_request_correction,
    application_start_review,
    application_update,
)
from approvals.services.ratings import (
    rating_submit,
    rectification_close,
    rectification_days,
)
from approvals.services.receipts import (
    Receipt,
    application_receive,
    may_reissue_rating_secret,
    rating_secret_reissue,
)
from approvals.services.registers import (
    approval_item_cancel,
    approval_item_delegate,
    approval_item_establish,
    approval_item_parts_save,
    approval_item_update,
    fee_item_cancel,
    fee_item_establish,
    fee_item_resume,
    fee_item_suspend,
    fee_item_update,
)
from portal.workflow import TransitionError

__all__ = [
    "Receipt",
    "TransitionError",
    "application_complete",
    "application_correction_received",
    "application_decide",
    "application_receive",
    "application_register",
    "application_reject",
    "application_request_correction",
    "application_start_review",
    "application_update",
    "approval_item_cancel",
    "approval_item_delegate",
    "approval_item_establish",
    "approval_item_parts_save",
    "approval_item_update",
    "fee_item_cancel",
    "fee_item_establish",
    "fee_item_resume",
    "fee_item_suspend",
    "fee_item_update",
    "may_reissue_rating_secret",
    "rating_secret_reissue",
    "rating_submit",
    "rectification_close",
    "rectification_days",
]
