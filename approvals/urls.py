from django.urls import path

from approvals import views

app_name = "approvals"

urlpatterns = [
    path("", views.item_list, name="list"),
    path("fees/", views.fee_schedule, name="fees"),
    path("results/", views.results, name="results"),
    path("results.csv", views.results_csv, name="results-csv"),
    path("reform/", views.reform_statistics, name="reform"),
    path("hall/", views.hall, name="hall"),
    path("ratings/", views.ratings, name="ratings"),
    path("track/", views.track, name="track"),
    path("track/rate/", views.rate, name="rate"),
    path("<str:code>/", views.item_detail, name="detail"),
    path("<str:code>/forms/<int:material_id>/", views.blank_form, name="blank-form"),
]
