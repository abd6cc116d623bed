from django.db import migrations

from portal.events import rename_kinds


class Migration(migrations.Migration):
    """Events of the core get the typed names of ``portal.events.CoreEvent``."""

    dependencies = [("portal", "0004_event_kinds"), ("contenttypes", "0002_remove_content_type_name")]

    operations = [
        rename_kinds({
            ("portal", "staffprofile"): {"staff_attached": "staff.attached"},
            ("portal", "calendaryear"): {"calendar_confirmed": "calendar.confirmed"},
        })
    ]
