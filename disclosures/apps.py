from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosuresConfig(AppConfig):
    name = "disclosures"
    verbose_name = _("Disclosures")

    def ready(self):
        from portal import home
        from portal.roles import Role, grant_model

        from disclosures import sections

        grant_model(Role.COORDINATOR, "disclosures.category", "view", "add", "change", "delete")
        for role in (Role.PUBLISHER, Role.REVIEWER, Role.SUPERVISOR):
            grant_model(role, "disclosures.category", "view")
        home.register(home.HomeSection("categories", "disclosures/home_categories.html", sections.categories, 20))
