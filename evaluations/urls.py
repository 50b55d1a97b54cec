from django.urls import path

from . import views

app_name = "evaluations"
urlpatterns = [
    path("projects/<str:code>/evaluation/", views.manage, name="manage"),
    path("projects/<str:code>/evaluation/start/", views.setup, name="setup"),
    path("projects/<str:code>/evaluation/questions/new/", views.question_create, name="question_create"),
    path("projects/<str:code>/evaluation/questions/<int:pk>/", views.question_edit, name="question_edit"),
    path("projects/<str:code>/evaluation/questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    path("projects/<str:code>/evaluation/questions/<int:pk>/move/", views.question_move, name="question_move"),
    path("projects/<str:code>/evaluation/results/", views.results, name="results"),
    path("projects/<str:code>/evaluation/by-person/", views.by_person, name="by_person"),
    path("projects/<str:code>/evaluation/remind/", views.remind, name="remind"),
    path("my-workshop/<str:code>/evaluation/", views.answer, name="answer"),
]
