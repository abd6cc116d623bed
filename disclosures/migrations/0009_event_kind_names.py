from django.db import migrations

from portal.events import rename_kinds

VERBS = ("submitted", "approved", "forwarded", "returned", "published", "amendment_started", "withdrawn",
         "table_masking_confirmed")


class Migration(migrations.Migration):
    """Events of disclosures get the typed names of ``disclosures.events.DisclosureEvent``."""

    dependencies = [("disclosures", "0008_coordinate_permission"), ("portal", "0005_event_kind_names")]

    operations = [rename_kinds({("disclosures", "disclosure"): {verb: f"disclosure.{verb}" for verb in VERBS}})]
