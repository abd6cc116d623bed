from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("Supervision")

    def ready(self):
        from portal import deadlines as deadline_registry
        from portal import api, demo, home, notify
        from portal.roles import Role, grant, grant_model

        from supervision import deadlines, emails, sections
        from supervision.api import ComplaintStatisticsViewSet
        from supervision import demo as supervision_demo

        grant_model(Role.SUPERVISOR, "supervision.complaint", "view", "add", "change")
        grant(Role.SUPERVISOR, "supervision.handle_complaint", "supervision.reply_complaint",
              "supervision.view_identity")
        for model in ("reply", "complaintattachment", "handlingtime"):
            grant_model(Role.SUPERVISOR, f"supervision.{model}", "view")
        grant_model(Role.COORDINATOR, "supervision.complaint", "view")
        grant_model(Role.COORDINATOR, "supervision.handlingtime", "view", "change")
        for role in (Role.PUBLISHER, Role.REVIEWER):
            grant_model(role, "supervision.complaint", "view")
            grant_model(role, "supervision.reply", "view")
            grant_model(role, "supervision.complaintattachment", "view")
            grant(role, "supervision.reply_complaint")
        deadline_registry.register(deadlines.COMPLAINT)
        from portal import indicators as indicator_registry
        from supervision import indicators

        indicator_registry.register(indicators.COMPLAINTS_ON_TIME)
        indicator_registry.register(indicators.COMPLAINT_SATISFACTION)
        from portal import events, workflow
        from supervision import permissions, workflows
        from supervision.events import ComplaintEvent

        events.register(ComplaintEvent)
        permissions.declare()
        workflow.register(workflows.COMPLAINT)
        demo.register_loader(supervision_demo.load)
        from portal import bench_data
        from supervision import bench_data as supervision_bench

        bench_data.register(30, supervision_bench.generate)
        api.register("complaint-statistics", ComplaintStatisticsViewSet, "complaint-statistics")
        home.register(home.HomeSection("supervision", "supervision/home_section.html", sections.mailbox, 60))
        notify.register_email("complaint_replied", emails.complaint_replied)
