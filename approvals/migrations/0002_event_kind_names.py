from django.db import migrations

from portal.events import rename_kinds

APPLICATION_VERBS = ("registered", "edited", "review_started", "correction_requested", "corrected", "decided",
                     "rejected", "completed", "rated")
CHANGES = {"established": "established", "adjusted": "adjusted", "edited": "edited", "cancel": "cancelled",
           "delegate": "delegated", "suspend": "suspended", "resume": "resumed"}


class Migration(migrations.Migration):
    """Events of approvals get the typed names of ``approvals.events``."""

    dependencies = [("approvals", "0001_initial"), ("portal", "0005_event_kind_names")]

    operations = [
        rename_kinds({
            ("approvals", "approvalitem"): {f"item_{old}": f"item.{new}" for old, new in CHANGES.items()},
            ("approvals", "feeitem"): {f"fee_{old}": f"fee.{new}" for old, new in CHANGES.items()},
            ("approvals", "application"): {f"application_{verb}": f"application.{verb}" for verb in APPLICATION_VERBS},
            ("approvals", "rectificationcase"): {f"rectification_{verb}": f"rectification.{verb}"
                                                 for verb in ("opened", "closed")},
        })
    ]
