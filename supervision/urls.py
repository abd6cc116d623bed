from django.urls import path

from supervision import views
from supervision.views import campaigns, dashboard, rectifications

app_name = "supervision"

urlpatterns = [
    path("complaints/new/", views.complaint_new, name="complaint-new"),
    path("complaints/filed/", views.complaint_filed, name="complaint-filed"),
    path("complaints/filed/text/", views.complaint_filed_text, name="complaint-filed-text"),
    path("complaints/track/", views.complaint_track, name="complaint-track"),
    path("stats/", views.statistics, name="stats"),
    path("rectifications/", rectifications.rectification_list, name="rectifications"),
    # Evaluation campaigns (民主評議): published results, and the evaluators' own pages.
    path("evaluations/", campaigns.campaign_list, name="campaign-list"),
    path("evaluations/<int:pk>/", campaigns.campaign_detail, name="campaign-results"),
    path("evaluate/", campaigns.evaluator_home, name="evaluate"),
    path("evaluate/login/", campaigns.evaluator_login, name="evaluate-login"),
    path("evaluate/logout/", campaigns.evaluator_logout, name="evaluate-logout"),
    path("evaluate/invitation/<str:token>/", campaigns.invitation, name="evaluate-invitation"),
    path("evaluate/<int:pk>/<slug:code>/", campaigns.scorecard, name="scorecard"),
    path("dashboard/", dashboard.dashboard_page, name="dashboard"),
    path("dashboard/departments/<slug:code>/", dashboard.dashboard_department, name="dashboard-department"),
    path("dashboard/records/", dashboard.dashboard_records, name="dashboard-records"),
    path("dashboard/overdue/", dashboard.dashboard_overdue, name="dashboard-overdue"),
    path("assessment/", dashboard.assessment_page, name="assessment"),
    path("assessment/results/", dashboard.assessment_results, name="assessment-results"),
]
