from django.urls import path

from supervision import campaign_views, views

app_name = "supervision"

urlpatterns = [
    path("complaints/new/", views.complaint_new, name="complaint-new"),
    path("complaints/filed/", views.complaint_filed, name="complaint-filed"),
    path("complaints/filed/text/", views.complaint_filed_text, name="complaint-filed-text"),
    path("complaints/track/", views.complaint_track, name="complaint-track"),
    path("stats/", views.statistics, name="stats"),
    # Evaluation campaigns (民主評議): published results, and the evaluators' own pages.
    path("evaluations/", campaign_views.campaign_list, name="campaign-list"),
    path("evaluations/<int:pk>/", campaign_views.campaign_detail, name="campaign-results"),
    path("evaluate/", campaign_views.evaluator_home, name="evaluate"),
    path("evaluate/login/", campaign_views.evaluator_login, name="evaluate-login"),
    path("evaluate/logout/", campaign_views.evaluator_logout, name="evaluate-logout"),
    path("evaluate/invitation/<str:token>/", campaign_views.invitation, name="evaluate-invitation"),
    path("evaluate/<int:pk>/<slug:code>/", campaign_views.scorecard, name="scorecard"),
]
