from django.urls import path

from supervision import dashboard_views, views

app_name = "supervision"

urlpatterns = [
    path("complaints/new/", views.complaint_new, name="complaint-new"),
    path("complaints/filed/", views.complaint_filed, name="complaint-filed"),
    path("complaints/filed/text/", views.complaint_filed_text, name="complaint-filed-text"),
    path("complaints/track/", views.complaint_track, name="complaint-track"),
    path("stats/", views.statistics, name="stats"),
    path("dashboard/", dashboard_views.dashboard_page, name="dashboard"),
    path("dashboard/departments/<slug:code>/", dashboard_views.dashboard_department, name="dashboard-department"),
    path("dashboard/records/", dashboard_views.dashboard_records, name="dashboard-records"),
    path("dashboard/overdue/", dashboard_views.dashboard_overdue, name="dashboard-overdue"),
    path("assessment/", dashboard_views.assessment_page, name="assessment"),
    path("assessment/results/", dashboard_views.assessment_results, name="assessment-results"),
]
