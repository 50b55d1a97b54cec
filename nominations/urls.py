from django.urls import include, path  # noqa: F401

app_name = "nominations"
urlpatterns = [
    path("", include("nominations.selection_urls")),  # selection (issue 5)
]
