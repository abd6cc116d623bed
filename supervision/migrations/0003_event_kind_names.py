from django.db import migrations

from portal.events import rename_kinds

VERBS = ("filed", "accepted", "declined", "assigned", "replied", "closed", "reopened")


class Migration(migrations.Migration):
    """Events of complaints get the typed names of ``supervision.events.ComplaintEvent``."""

    dependencies = [("supervision", "0002_default_handling_times"), ("portal", "0005_event_kind_names")]

    operations = [rename_kinds({("supervision", "complaint"): {verb: f"complaint.{verb}" for verb in VERBS}})]
