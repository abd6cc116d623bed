from django.urls import path

from supervision import views
from supervision.views import rectifications

app_name = "supervision"

urlpatterns = [
    path("complaints/new/", views.complaint_new, name="complaint-new"),
    path("complaints/filed/", views.complaint_filed, name="complaint-filed"),
    path("complaints/filed/text/", views.complaint_filed_text, name="complaint-filed-text"),
    path("complaints/track/", views.complaint_track, name="complaint-track"),
    path("stats/", views.statistics, name="stats"),
    path("rectifications/", rectifications.rectification_list, name="rectifications"),
]
