import pytest


@pytest.mark.django_db
def test_healthz_answers_ok_for_any_host(client):
    response = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200
    assert response.content == b"ok"
