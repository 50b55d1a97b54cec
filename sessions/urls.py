from django.urls import include, path

app_name = "agenda"
urlpatterns = [
    path("", include("sessions.attendance_urls")),  # attendance (issue 7)
]
