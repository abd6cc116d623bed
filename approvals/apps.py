from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = _("Approvals and fees")

    def ready(self):
        from portal import deadlines as deadline_registry
        from portal import demo, home
        from portal.roles import Role, grant_model

        from approvals import deadlines, sections
        from approvals import demo as approvals_demo

        models = (
            "servicehall", "servicewindow", "approvalitem", "material", "procedurestep", "itemchange",
            "feeitem", "feechange", "application", "correctionrequest", "rating", "rectificationcase",
            "rectificationrule",
        )
        for role in (Role.PUBLISHER, Role.REVIEWER, Role.COORDINATOR, Role.SUPERVISOR):
            for model in models:
                grant_model(role, f"approvals.{model}", "view")
        # Publishers edit their department's items and fees (materials and steps inline) and
        # register and handle its applications; the window clerks are publishers of the
        # department that runs the hall, so they also keep its windows.
        for role in (Role.PUBLISHER, Role.COORDINATOR):
            grant_model(role, "approvals.approvalitem", "add", "change")
            grant_model(role, "approvals.material", "add", "change", "delete")
            grant_model(role, "approvals.procedurestep", "add", "change", "delete")
            grant_model(role, "approvals.feeitem", "add", "change")
            grant_model(role, "approvals.application", "add", "change")
            grant_model(role, "approvals.servicewindow", "add", "change")
            grant_model(role, "approvals.rectificationcase", "change")
        # Department heads decide applications and answer for bad ratings.
        grant_model(Role.REVIEWER, "approvals.application", "change")
        grant_model(Role.REVIEWER, "approvals.rectificationcase", "change")
        grant_model(Role.COORDINATOR, "approvals.servicehall", "add", "change", "delete")
        grant_model(Role.COORDINATOR, "approvals.servicewindow", "delete")
        grant_model(Role.COORDINATOR, "approvals.rectificationrule", "add", "change", "delete")

        deadline_registry.register(deadlines.APPLICATION)
        deadline_registry.register(deadlines.RATING_RECTIFICATION)
        from portal import workspace
        from approvals.workspace import TILES

        for tile in TILES:
            workspace.register(tile)
        from portal import indicators as indicator_registry
        from approvals import indicators

        for indicator in indicators.ALL:
            indicator_registry.register(indicator)
        from portal import events, workflow
        from approvals import events as approval_events
        from approvals import permissions, workflows

        for kinds in approval_events.ALL:
            events.register(kinds)
        permissions.declare()
        for machine in workflows.ALL:
            workflow.register(machine)
        demo.register_loader(approvals_demo.load)
        from portal import bench_data
        from approvals import bench_data as approvals_bench

        bench_data.register(20, approvals_bench.generate)
        home.register(home.HomeSection("approvals", "approvals/home_approvals.html", sections.approvals, 30))

        from django.db.models.signals import post_save

        from portal import api as api_registry
        from portal import page_cache
        from portal import search as search_registry

        from approvals import api
        from approvals import search as approvals_search

        api.register(api_registry)
        for source in approvals_search.SOURCES:
            search_registry.register(source)
        post_save.connect(approvals_search.item_saved, sender="approvals.ApprovalItem", dispatch_uid="approvals-search-items")
        post_save.connect(approvals_search.fee_saved, sender="approvals.FeeItem", dispatch_uid="approvals-search-fees")
        # The hall is kept in the admin without a service; items and fees invalidate through theirs.
        page_cache.invalidate_when_saved("approvals.ServiceHall", "approvals.ServiceWindow")
