from django.urls import path

from . import views

app_name = "workspace"
urlpatterns = [
    path("start/", views.landing, name="landing"),
    path("projects/<str:code>/hub/", views.hub, name="hub"),
    path("projects/<str:code>/hub/retention/", views.retention_settings, name="retention"),
    path("manage/personal-data/", views.person_data, name="person_data"),
    path("manage/personal-data/erase/", views.person_erase, name="person_erase"),
    path("personal-data/pdf/<str:token>/", views.person_data_pdf, name="person_data_pdf"),
    path("personal-data/pdf/<str:token>/file/", views.person_data_pdf_file, name="person_data_pdf_file"),
    path("my-workshop/personal-data/", views.my_data, name="my_data"),
]
