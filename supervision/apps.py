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
        # The annual assessment: the supervision office and the coordinator set the weights
        # and freeze a year.
        for role in (Role.SUPERVISOR, Role.COORDINATOR):
            grant_model(role, "supervision.assessmentweight", "view", "add", "change")
            grant_model(role, "supervision.assessmentsnapshot", "view", "add")
        grant_model(Role.COORDINATOR, "supervision.handlingtime", "view", "change")
        for role in (Role.PUBLISHER, Role.REVIEWER):
            grant_model(role, "supervision.complaint", "view")
            grant_model(role, "supervision.reply", "view")
            grant_model(role, "supervision.complaintattachment", "view")
            grant(role, "supervision.reply_complaint")
        deadline_registry.register(deadlines.COMPLAINT)
        self._ready_oversight()
        from portal import indicators as indicator_registry
        from supervision import indicators

        indicator_registry.register(indicators.COMPLAINTS_ON_TIME)
        indicator_registry.register(indicators.COMPLAINT_SATISFACTION)
        indicator_registry.register(indicators.RECTIFICATION_ORDERS_ON_TIME)
        indicator_registry.register(indicators.ACCOUNTABILITY_MEASURES)
        indicator_registry.register(indicators.EVALUATION_SCORE)
        from portal import workspace
        from supervision.workspace import TILES

        for tile in TILES:
            workspace.register(tile)
        from portal import events, workflow
        from supervision import permissions, workflows
        from supervision.events import (
            AccountabilityEvent,
            AssessmentEvent,
            CampaignEvent,
            ComplaintEvent,
            InspectionEvent,
            RectificationOrderEvent,
            ScorecardEvent,
        )

        for kinds in (ComplaintEvent, InspectionEvent, RectificationOrderEvent, AccountabilityEvent, CampaignEvent,
                      ScorecardEvent, AssessmentEvent):
            events.register(kinds)
        permissions.declare()
        for flow in (workflows.COMPLAINT, workflows.INSPECTION, workflows.RECTIFICATION_ORDER, workflows.CAMPAIGN,
                     workflows.SCORECARD):
            workflow.register(flow)
        # Evaluation campaigns: run by the open-government office and the supervision office.
        for role in (Role.COORDINATOR, Role.SUPERVISOR):
            grant_model(role, "supervision.campaign", "view", "add", "change")
            grant_model(role, "supervision.criterion", "view", "add", "change", "delete")
        from supervision import campaign_demo

        demo.register_loader(supervision_demo.load)
        demo.register_loader(supervision_demo.load_oversight)
        demo.register_loader(campaign_demo.load)
        from supervision import demo_history

        demo.register_loader(demo_history.load)
        from portal import bench_data
        from supervision import bench_data as supervision_bench

        bench_data.register(30, supervision_bench.generate)
        api.register("complaint-statistics", ComplaintStatisticsViewSet, "complaint-statistics")
        home.register(home.HomeSection("supervision", "supervision/home_section.html", sections.mailbox, 60))
        notify.register_email("complaint_replied", emails.complaint_replied, label=_("reply to a complaint"))

    def _ready_oversight(self):
        """Inspections, rectification orders and accountability: who may do what, the deadline kind."""
        from portal import deadlines as deadline_registry
        from portal.roles import Role, grant, grant_model

        from supervision import deadlines

        oversight = ("inspection", "checklistresult", "finding", "rectificationorder", "responsefile",
                     "accountabilitymeasure", "checklisttemplate", "checklisttemplateitem")
        for model in oversight:
            grant_model(Role.SUPERVISOR, f"supervision.{model}", "view")
            grant_model(Role.COORDINATOR, f"supervision.{model}", "view")
        for model in ("inspection", "checklistresult", "finding"):
            grant_model(Role.SUPERVISOR, f"supervision.{model}", "add", "change")
        for model in ("checklisttemplate", "checklisttemplateitem"):
            grant_model(Role.SUPERVISOR, f"supervision.{model}", "add", "change")
        grant_model(Role.SUPERVISOR, "supervision.rectificationorder", "add")
        grant_model(Role.SUPERVISOR, "supervision.accountabilitymeasure", "add")
        grant(Role.SUPERVISOR, "supervision.verify_rectificationorder")
        # A department sees the inspections of itself and its orders, runs its own
        # self-inspection (supervision.permissions) and reports on its orders.
        for role in (Role.PUBLISHER, Role.REVIEWER):
            for model in ("inspection", "checklistresult", "finding", "rectificationorder", "responsefile"):
                grant_model(role, f"supervision.{model}", "view")
            for model in ("inspection", "checklistresult", "finding"):
                grant_model(role, f"supervision.{model}", "add", "change")
            grant_model(role, "supervision.rectificationorder", "add")
            grant(role, "supervision.respond_rectificationorder")
        deadline_registry.register(deadlines.RECTIFICATION_ORDER)
