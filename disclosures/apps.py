from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosuresConfig(AppConfig):
    name = "disclosures"
    verbose_name = _("Disclosures")

    def ready(self):
        from portal import deadlines as deadline_registry
        from portal import demo, home
        from portal.roles import Role, grant, grant_model

        from disclosures import deadlines, sections
        from disclosures import demo as disclosures_demo
        from disclosures import demo_standard

        everyone = (Role.PUBLISHER, Role.REVIEWER, Role.COORDINATOR, Role.SUPERVISOR)
        for role in everyone:
            for model in ("category", "domain", "carrier", "catalogueentry", "disclosure", "attachment", "reviewrecord",
                          "revision"):
                grant_model(role, f"disclosures.{model}", "view")
        grant_model(Role.COORDINATOR, "disclosures.category", "add", "change", "delete")
        grant_model(Role.COORDINATOR, "disclosures.catalogueentry", "add", "change", "delete")
        grant_model(Role.COORDINATOR, "disclosures.domain", "add", "change", "delete")
        grant_model(Role.COORDINATOR, "disclosures.carrier", "add", "change", "delete")
        for role in (Role.PUBLISHER, Role.COORDINATOR):
            grant_model(role, "disclosures.disclosure", "add", "change", "delete")
            grant_model(role, "disclosures.attachment", "add", "change")
        grant(Role.PUBLISHER, "disclosures.publish_disclosure")
        grant(Role.REVIEWER, "disclosures.review_disclosure", "disclosures.publish_disclosure",
              "disclosures.withdraw_disclosure")
        grant(Role.COORDINATOR, "disclosures.review_disclosure", "disclosures.publish_disclosure",
              "disclosures.withdraw_disclosure", "disclosures.coordinate_disclosure")
        # Information requests: the department asked handles them, the office head (the
        # reviewer) and the coordinator approve extensions, the coordinator finalises the
        # yearly reports; supervisors read.
        for role in (Role.PUBLISHER, Role.REVIEWER):
            grant_model(role, "disclosures.informationrequest", "view")
            grant_model(role, "disclosures.requester", "view")
            grant_model(role, "disclosures.requestfile", "view")
            grant(role, "disclosures.handle_informationrequest")
            grant_model(role, "disclosures.annualreport", "view", "add", "change")
        grant(Role.REVIEWER, "disclosures.extend_informationrequest")
        grant_model(Role.COORDINATOR, "disclosures.informationrequest", "view", "add")
        grant_model(Role.COORDINATOR, "disclosures.requester", "view")
        grant_model(Role.COORDINATOR, "disclosures.requestfile", "view")
        grant(Role.COORDINATOR, "disclosures.handle_informationrequest", "disclosures.extend_informationrequest")
        grant_model(Role.COORDINATOR, "disclosures.annualreport", "view", "add", "change")
        grant(Role.COORDINATOR, "disclosures.finalise_annualreport")
        for role in (Role.PUBLISHER, Role.REVIEWER):
            grant_model(role, "disclosures.informationrequest", "add")
        grant_model(Role.SUPERVISOR, "disclosures.informationrequest", "view")
        grant_model(Role.SUPERVISOR, "disclosures.annualreport", "view")

        from portal import events, notify, workflow
        from disclosures import permissions, workflows
        from disclosures.events import AnnualReportEvent, DisclosureEvent, RequestEvent
        from disclosures.requests import emails as request_emails

        events.register(DisclosureEvent)
        events.register(RequestEvent)
        events.register(AnnualReportEvent)
        permissions.declare()
        workflow.register(workflows.DISCLOSURE)
        workflow.register(workflows.INFORMATION_REQUEST)
        workflow.register(workflows.ANNUAL_REPORT)
        deadline_registry.register(deadlines.CATALOGUE_OBLIGATION)
        from portal import workspace
        from disclosures.workspace import TILES

        for tile in TILES:
            workspace.register(tile)
        from portal import indicators as indicator_registry
        from disclosures import indicators

        for indicator in indicators.ALL:
            indicator_registry.register(indicator)
        deadline_registry.register(deadlines.INFORMATION_REQUEST)
        deadline_registry.register(deadlines.ANNUAL_REPORT)
        notify.register_email("request_replied", request_emails.request_replied, label=_("reply to an information request"))
        notify.register_email("request_extended", request_emails.request_extended,
                              label=_("extension of an information request"))
        demo.register_loader(disclosures_demo.load)
        demo.register_loader(demo_standard.load)
        from disclosures.requests import demo as requests_demo

        demo.register_loader(requests_demo.load)
        from portal import bench_data
        from disclosures import bench_data as disclosures_bench

        bench_data.register(10, disclosures_bench.generate)
        home.register(home.HomeSection("latest", "disclosures/home_latest.html", sections.latest, 10))
        home.register(home.HomeSection("categories", "disclosures/home_categories.html", sections.categories, 20))

        from django.db.models.signals import post_save

        from portal import api as api_registry
        from portal import search as search_registry

        from disclosures import api
        from disclosures import search as disclosures_search

        search_registry.register(disclosures_search.SOURCE)
        post_save.connect(disclosures_search.disclosure_saved, sender="disclosures.Disclosure", dispatch_uid="disclosures-search")
        api.register(api_registry)

        from portal import page_cache

        # Kept in the admin without a service; disclosures invalidate through theirs.
        page_cache.invalidate_when_saved(
            "disclosures.Category", "disclosures.CatalogueEntry", "disclosures.Domain", "disclosures.Carrier"
        )
