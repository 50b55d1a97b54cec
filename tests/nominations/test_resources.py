import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from nominations.enums import NominationStatus
from nominations.models import Nomination
from nominations.resources import neutralise
from tests import factories

pytestmark = pytest.mark.django_db

DANGEROUS = ["==1+1", '=HYPERLINK("http://evil.example","click")', "@SUM(A1:A9)", "-2+3", "+cmd|' /C calc'!A0"]


@pytest.mark.parametrize("value", [*DANGEROUS, "\t=1+1", "\r=1+1"])
def test_neutralise_formulae(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["+94 11 2345678", "+1 (555) 123-4567", "-12", "+3.5", 42, None, "Plain text", ""])
def test_neutralise_keeps_phone_numbers_and_numbers(value):
    assert neutralise(value) == value


def _export(client, project, fmt, secretariat):
    client.force_login(secretariat)
    return client.get(reverse("nominations:export", kwargs={"code": project.code, "fmt": fmt}))


@pytest.fixture
def hostile(project):
    rows = []
    for i, value in enumerate(DANGEROUS):
        rows.append(
            factories.NominationFactory(
                project=project,
                certificate_name=f"Person {i}",
                organization=value,
                position=value,
                phone="+94 11 2345678",
                years_experience=12,
                submitted=True,
            )
        )
    return rows


def test_csv_export_neutralises_formulae_and_keeps_phones(client, project, secretariat, hostile):
    response = _export(client, project, "csv", secretariat)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["Organization"] for r in rows] == ["'" + v for v in DANGEROUS]
    assert {r["Phone"] for r in rows} == {"+94 11 2345678"}
    assert {r["Years of relevant experience"] for r in rows} == {"12"}
    assert all(r["Country"] == "India" and r["State"] == "Submitted" for r in rows)


def test_xlsx_export_has_no_formula_cells(client, project, secretariat, hostile):
    response = _export(client, project, "xlsx", secretariat)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    headers = [c.value for c in sheet[1]]
    org, phone, years = (
        headers.index("Organization"),
        headers.index("Phone"),
        headers.index("Years of relevant experience"),
    )
    cells = list(sheet.iter_rows(min_row=2))
    assert all(cell.data_type != "f" for row in cells for cell in row)
    assert [row[org].value for row in cells] == ["'" + v for v in DANGEROUS]
    assert {row[phone].value for row in cells} == {"+94 11 2345678"}
    assert {row[years].value for row in cells} == {12}
    assert {row[years].data_type for row in cells} == {"n"}


def test_export_respects_the_filters(client, project, secretariat):
    factories.NominationFactory(project=project, country=factories.country("IN"), submitted=True)
    factories.NominationFactory(project=project, country=factories.country("JP"), submitted=True)
    client.force_login(secretariat)
    url = reverse("nominations:export", kwargs={"code": project.code, "fmt": "csv"})
    rows = list(csv.DictReader(io.StringIO(client.get(url, {"country": factories.country("JP").pk}).content.decode())))
    assert [r["Country"] for r in rows] == ["Japan"]


# --- Import ----------------------------------------------------------------------------------

HEADER = [
    "Name for the certificate",
    "Name in own script",
    "Gender",
    "Date of birth",
    "E-mail",
    "Phone",
    "Organization",
    "Organization type",
    "Position/title",
    "Years of relevant experience",
    "English proficiency",
    "Statement",
]


def row(i, **overrides):
    values = {
        "Name for the certificate": f"Somchai Person{i}",
        "Name in own script": "สมชาย",
        "Gender": "Male",
        "Date of birth": "1980-01-15",
        "E-mail": f"somchai{i}@example.org",
        "Phone": "+66 2 123 4567",
        "Organization": "Office of the Public Sector Development Commission",
        "Organization type": "Government ministry/agency",
        "Position/title": "Senior Officer",
        "Years of relevant experience": "9",
        "English proficiency": "Good",
        "Statement": "Works on KPIs.",
    }
    values.update(overrides)
    return [values[h] for h in HEADER]


def csv_file(rows, name="nominations.csv"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    data = buffer.getvalue().encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="text/csv")


def xlsx_file(rows):
    from django.core.files.uploadedfile import SimpleUploadedFile

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for r in rows:
        sheet.append(r)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("nominations.xlsx", buffer.getvalue())


def upload(client, project, file, iso2="TH"):
    url = reverse("nominations:import", kwargs={"code": project.code})
    response = client.post(url, {"country": factories.country(iso2).pk, "file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def test_import_preview_names_bad_rows_by_line_and_field_and_imports_nothing(client, project, secretariat):
    factories.NominationFactory(project=project, country=factories.country("TH"), email="somchai1@example.org")
    client.force_login(secretariat)
    rows = [
        row(1),
        row(2, **{"E-mail": "not-an-email"}),
        row(3, Gender="unknown"),
        row(4, **{"Name for the certificate": ""}),
        row(5),
        row(6, **{"E-mail": "SOMCHAI5@example.org"}),
    ]
    preview = upload(client, project, csv_file(rows))
    html = client.get(preview).content.decode()
    assert "Line 3, E-mail: Enter a valid email address." in html
    assert "Line 4, Gender: Select a valid choice." in html
    assert "Line 5, Name for the certificate: This field is required." in html
    assert "Line 7, E-mail: The same e-mail is already on line 6." in html
    assert "Line 2: Somchai Person1" in html  # already present
    before = Nomination.objects.count()
    response = client.post(preview, follow=True)
    assert "Nothing was imported" in response.content.decode()
    assert Nomination.objects.count() == before


def test_import_all_then_again_creates_nothing_new(client, project, secretariat):
    client.force_login(secretariat)
    rows = [row(i) for i in range(1, 6)]
    preview = upload(client, project, xlsx_file(rows))
    response = client.post(preview)
    progress = response["Location"]
    html = client.get(progress).content.decode()
    assert "Done: 5 nominations created, 0 already present." in html
    imported = Nomination.objects.filter(project=project, country__iso2="TH").order_by("priority")
    assert [n.priority for n in imported] == [1, 2, 3, 4, 5]
    assert {n.status for n in imported} == {NominationStatus.SUBMITTED}
    assert imported[0].native_name == "สมชาย" and imported[0].organization_type == "ministry"
    assert imported[0].created_by == secretariat

    preview = upload(client, project, xlsx_file(rows))
    html = client.get(preview).content.decode()
    assert 'id="count-present">5<' in html and 'id="count-new">0<' in html
    assert Nomination.objects.filter(project=project).count() == 5


def test_import_progress_polls_with_htmx_until_done(client, project, secretariat):
    from nominations import resources

    client.force_login(secretariat)
    preview = upload(client, project, csv_file([row(1)]))
    job_id = preview.rstrip("/").rsplit("/", 1)[-1]
    resources.update_job(job_id, state="running", done=30, total=120)
    url = reverse("nominations:import_progress", kwargs={"code": project.code, "job": job_id})
    html = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in html and "Row 30 of 120" in html and 'value="25"' in html
    resources.update_job(job_id, state="done", created=120, skipped=0)
    html = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in html and "Done: 120 nominations created" in html


def test_import_rolls_back_everything_when_a_row_fails_during_the_run(client, project, secretariat, monkeypatch):
    from nominations import services

    client.force_login(secretariat)
    preview = upload(client, project, csv_file([row(i) for i in range(1, 4)]))
    real = services.submit_nomination
    calls = {"n": 0}

    def fail_third(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            from apopms.exceptions import DomainError

            raise DomainError("Simulated failure")
        return real(**kwargs)

    monkeypatch.setattr(services, "submit_nomination", fail_third)
    progress = client.post(preview)["Location"]
    assert "Nothing was imported: Simulated failure" in client.get(progress).content.decode()
    assert not Nomination.objects.exists()


def test_import_refuses_rows_of_another_npo(client, project, secretariat):
    factories.NominationFactory(project=project, country=factories.country("JP"), email="somchai1@example.org")
    client.force_login(secretariat)
    preview = upload(client, project, csv_file([row(1)]))
    html = client.get(preview).content.decode()
    assert "Line 2, E-mail: This person is already nominated for this project by another NPO." in html


def test_import_of_an_unreadable_file_says_so(client, project, secretariat):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(secretariat)
    url = reverse("nominations:import", kwargs={"code": project.code})
    bad = SimpleUploadedFile("x.csv", b"Name,Other\nfoo,bar\n")
    response = client.post(url, {"country": factories.country("TH").pk, "file": bad})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "The header row lacks the column(s)" in html
