import pytest


@pytest.mark.django_db
def test_healthz_answers_ok_for_any_host(client):
    response = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_status_view_answers_ok_through_the_whole_stack(client):
    response = client.get("/status/")
    assert (response.status_code, response.content) == (200, b"ok")
    assert "Content-Security-Policy" in response  # the middleware ran
