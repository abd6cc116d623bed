from django.urls import path

from disclosures import views

app_name = "disclosures"

urlpatterns = [
    path("", views.disclosure_list, name="list"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/domains/<slug:code>/", views.catalogue_domain, name="catalogue-domain"),
    path("catalogue/county/<slug:code>/", views.catalogue_category, name="catalogue-category"),
    path("<int:pk>/", views.disclosure_detail, name="detail"),
    path("<int:pk>/history/", views.disclosure_history, name="history"),
    path("<int:pk>/poster/", views.disclosure_poster, name="poster"),
    path("<int:pk>/history/<int:number>/", views.revision_detail, name="revision"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("<int:pk>/tables/<int:number>.csv", views.table_download, name="table-csv"),
]
