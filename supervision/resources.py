"""Export of the complaints register for staff. Sealed identities never enter it: they live
in another table, and the secret's hash is left out."""

from import_export import fields

from portal.resources import CodeWidget, ScopedResource
from portal.models import Department
from supervision.models import Complaint


class ComplaintResource(ScopedResource):
    department = fields.Field(attribute="department", column_name="department",
                              widget=CodeWidget(Department, field="code"))
    assigned_department = fields.Field(attribute="assigned_department", column_name="assigned_department",
                                       widget=CodeWidget(Department, field="code"))

    class Meta(ScopedResource.Meta):
        model = Complaint
        fields = (
            "tracking_code", "kind", "channel", "department", "assigned_department", "approval_item_code",
            "fee_item_code", "summary", "details", "happened_on", "anonymous", "status", "received_on", "due_on",
            "satisfaction", "reopen_count", "replied_at", "closed_at", "closed_on_time",
        )
        export_order = fields
        import_id_fields = ("tracking_code",)
