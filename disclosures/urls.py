from django.urls import path

from disclosures import views
from disclosures.requests import views as requests

app_name = "disclosures"

urlpatterns = [
    path("", views.disclosure_list, name="list"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/domains/<slug:code>/", views.catalogue_domain, name="catalogue-domain"),
    path("catalogue/county/<slug:code>/", views.catalogue_category, name="catalogue-category"),
    path("requests/new/", requests.request_new, name="request-new"),
    path("requests/filed/", requests.request_filed, name="request-filed"),
    path("requests/filed/text/", requests.request_filed_text, name="request-filed-text"),
    path("requests/track/", requests.request_track, name="request-track"),
    path("requests/stats/", requests.statistics, name="request-stats"),
    path("<int:pk>/", views.disclosure_detail, name="detail"),
    path("<int:pk>/history/", views.disclosure_history, name="history"),
    path("<int:pk>/poster/", views.disclosure_poster, name="poster"),
    path("<int:pk>/history/<int:number>/", views.revision_detail, name="revision"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("<int:pk>/tables/<int:number>.csv", views.table_download, name="table-csv"),
]
