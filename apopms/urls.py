from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("status/", views.status, name="status"),
    path("personal-data/", views.personal_data, name="personal_data"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("accounts/invitation/<str:token>/", views.accept_invitation, name="invitation_accept"),
    path("manage/invitations/<int:pk>/resend/", views.resend_invitation, name="invitation_resend"),
    path("manage/projects/", views.project_list, name="project_list"),
    path("manage/projects/new/", views.project_create, name="project_create"),
    path(
        "manage/projects/new/from-notification/",
        views.project_from_notification,
        name="project_from_notification",
    ),
    path("manage/projects/<str:code>/", views.project_manage, name="project_manage"),
    path("manage/projects/<str:code>/edit/", views.project_edit, name="project_edit"),
    path("manage/projects/<str:code>/clone/", views.project_clone, name="project_clone"),
    path("manage/projects/<str:code>/issue/", views.project_issue, name="project_issue"),
    path("manage/projects/<str:code>/nominations/", views.project_nominations, name="project_nominations"),
    path("manage/projects/<str:code>/deadline/", views.project_deadline, name="project_deadline"),
    path("manage/projects/<str:code>/implementers/", views.project_team, name="project_team"),
    path("manage/projects/<str:code>/outbox/", views.outbox, name="project_outbox"),
    path("manage/projects/<str:code>/outbox/write/", views.outbox_write, name="outbox_write"),
    path("manage/projects/<str:code>/outbox/audience.csv", views.outbox_audience_csv, name="outbox_audience_csv"),
    path("manage/outbox/", views.outbox, name="outbox"),
    path("manage/outbox/<int:pk>/", views.outbox_message, name="outbox_message"),
    path("manage/outbox/<int:pk>/html/", views.outbox_message_html, name="outbox_message_html"),
    path("manage/outbox/<int:pk>/resend/", views.outbox_resend, name="outbox_resend"),
    path("manage/people/", views.people, name="people"),
    path("manage/people/<int:pk>/deactivate/", views.membership_deactivate, name="membership_deactivate"),
    path("manage/people/<int:pk>/reactivate/", views.membership_reactivate, name="membership_reactivate"),
    path("projects/<str:code>/", views.project_detail, name="project_detail"),
    path("projects/<str:code>/audit/", views.audit_log, name="audit_log"),
    path("projects/<str:code>/audit/export.csv", views.audit_log_csv, name="audit_log_csv"),
    path("", include("nominations.urls")),
    path("", include("sessions.urls")),
    path("", include("certificates.urls")),
    path("", include("evaluations.urls")),
    path("", include("workspace.urls")),
    path("", include("reports.urls")),
    path(f"{settings.ADMIN_PATH}/", admin.site.urls),
]
