import csv
import datetime
import io

import openpyxl
import pytest
from django.test import TestCase
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
    """Upload a file; the worker reads it (after commit, eagerly here). Returns the preview's address."""
    url = reverse("nominations:import", kwargs={"code": project.code})
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, {"country": factories.country(iso2).pk, "file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def confirm(client, preview):
    """Confirm a preview; the worker imports it (after commit). Returns the response (a redirect or the page)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(preview)


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
    response = confirm(client, preview)
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
    from nominations import services
    from nominations.enums import ImportStatus
    from nominations.models import NominationImport

    client.force_login(secretariat)
    preview = upload(client, project, csv_file([row(1)]))
    job = NominationImport.objects.get()
    NominationImport.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    services.set_progress(job.pk, stage="importing", done=30, total=120)
    url = reverse("nominations:import_progress", kwargs={"code": project.code, "job": job.pk})
    assert client.get(preview)["Location"] == url
    html = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in html and "Row 30 of 120" in html and 'value="25"' in html
    NominationImport.objects.filter(pk=job.pk).update(status=ImportStatus.DONE, summary={"created": 120, "skipped": 0})
    html = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in html and "Done: 120 nominations created" in html


def test_import_reads_the_file_in_the_worker_and_the_page_polls_until_the_preview(
    client, project, secretariat, django_capture_on_commit_callbacks
):
    from nominations import services
    from nominations.models import NominationImport

    client.force_login(secretariat)
    url = reverse("nominations:import", kwargs={"code": project.code})
    with django_capture_on_commit_callbacks(execute=False) as queued:
        preview = client.post(url, {"country": factories.country("TH").pk, "file": csv_file([row(1), row(2)])})[
            "Location"
        ]
    job = NominationImport.objects.get()
    progress = reverse("nominations:import_progress", kwargs={"code": project.code, "job": job.pk})
    assert client.get(preview)["Location"] == progress  # not read yet: the web request only queued it
    html = client.get(progress, headers={"HX-Request": "true"}).content.decode()
    assert "Reading the file" in html and 'hx-trigger="every 1s"' in html
    assert len(queued) == 1
    queued[0]()  # the worker reads it
    job.refresh_from_db()
    assert job.status == "preview" and job.summary["new"] == 2 and not job.file
    assert services.get_progress(job.pk)["stage"] == "previewed"
    response = client.get(progress, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == preview and "hx-trigger" not in response.content.decode()
    # The progress page opened after the file was read (a small file, a fast worker) goes on to the preview.
    assert client.get(progress)["Location"] == preview
    html = client.get(preview).content.decode()
    assert 'id="count-new">2<' in html


def test_import_preview_and_confirm_do_not_read_the_file_again(client, project, secretariat, monkeypatch):
    from nominations.resources import imports

    client.force_login(secretariat)
    preview = upload(client, project, csv_file([row(1), row(2)]))

    def no_second_reading(*args, **kwargs):
        raise AssertionError("the file was read again")

    monkeypatch.setattr(imports, "read_dataset", no_second_reading)
    monkeypatch.setattr(imports, "parse_rows", no_second_reading)
    assert 'id="count-new">2<' in client.get(preview).content.decode()
    progress = confirm(client, preview)["Location"]
    assert "Done: 2 nominations created, 0 already present." in client.get(progress).content.decode()


def test_import_rolls_back_everything_when_a_row_fails_during_the_run(client, project, secretariat):
    client.force_login(secretariat)
    preview = upload(client, project, csv_file([row(i) for i in range(1, 4)]))
    # Between the preview and the confirmation, another NPO nominates the person on line 4.
    factories.NominationFactory(project=project, country=factories.country("JP"), email="somchai3@example.org")
    progress = confirm(client, preview)["Location"]
    assert (
        "Nothing was imported: Line 4, E-mail: somchai3@example.org is already nominated for this project by "
        "another NPO." in client.get(progress).content.decode()
    )
    assert not Nomination.objects.filter(country__iso2="TH").exists()


def test_import_rolls_back_everything_when_the_database_refuses_a_row(client, project, secretariat, monkeypatch):
    from nominations.services import imports as service

    client.force_login(secretariat)
    preview = upload(client, project, csv_file([row(i) for i in range(1, 4)]))
    monkeypatch.setattr(service, "BATCH", 2)
    real = Nomination.objects.bulk_create
    calls = {"n": 0}

    def second_batch_collides(objs, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:  # as if another NPO had just saved this e-mail
            objs[0].email = "somchai1@example.org"
        return real(objs, *args, **kwargs)

    monkeypatch.setattr(Nomination.objects, "bulk_create", second_batch_collides)
    progress = confirm(client, preview)["Location"]
    assert "Nothing was imported: One of the e-mails was nominated for this project meanwhile" in (
        client.get(progress).content.decode()
    )
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
    bad = SimpleUploadedFile("x.csv", b"Name,Other\nfoo,bar\n")
    html = client.get(upload(client, project, bad)).content.decode()
    assert "The header row lacks the column(s)" in html


# --- Import: what a row says about where it belongs ----------------------------------------------


def csv_with(columns, rows, name="nominations.csv"):
    """A CSV upload with the standard columns plus `columns` (a header -> value per row)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*HEADER, *columns])
    for values, extra in rows:
        writer.writerow([*values, *extra])
    return SimpleUploadedFile(name, buffer.getvalue().encode(), content_type="text/csv")


def preview_errors(client, url):
    import re
    from html import unescape

    html = unescape(client.get(url).content.decode())
    return re.findall(r"<li>(Line \d+, [^<]*)</li>", html), html


def test_import_refuses_rows_of_another_country_naming_line_and_field(client, secretariat):
    project = factories.ProjectFactory(participating_countries=[factories.country(c) for c in ("IN", "BD", "LK")])
    client.force_login(secretariat)
    rows = [
        (row(1), ["India"]),
        (row(2), ["Bangladesh"]),
        (row(3), ["Atlantis"]),
        (row(4), ["Japan"]),
        (row(5), ["in"]),
        (row(6), [""]),
    ]
    preview = upload(client, project, csv_with(["Country"], rows), iso2="IN")
    errors, html = preview_errors(client, preview)
    assert errors == [
        "Line 3, Country: This row is for Bangladesh, but this import is for India; import Bangladesh's rows "
        "separately, choosing Bangladesh on the upload form.",
        "Line 4, Country: “Atlantis” is not an APO member country; write the country as the export does "
        "(e.g. “India”) or as its ISO code (“IN”).",
        "Line 5, Country: Japan does not take part in this project.",
    ]
    assert 'id="count-new">3<' in html
    assert client.post(preview, follow=True).status_code == 200
    assert not Nomination.objects.exists()


def test_import_refuses_rows_of_another_project(client, project, secretariat):
    client.force_login(secretariat)
    rows = [(row(1), [project.code]), (row(2), ["22-PSP-DMC"])]
    errors, _ = preview_errors(client, upload(client, project, csv_with(["Project"], rows)))
    assert errors == [f"Line 3, Project: This row is for project “22-PSP-DMC”, not {project.code}."]


# --- Import: dates without guessing ---------------------------------------------------------------


def _dob_rows(*dates):
    return [row(i, **{"Date of birth": d}) for i, d in enumerate(dates, 1)]


def test_import_refuses_a_date_whose_order_the_file_does_not_tell(client, project, secretariat):
    client.force_login(secretariat)
    preview = upload(client, project, csv_file(_dob_rows("1980-01-15", "03/08/1985", "3 Aug 1985", "04/05/1986")))
    errors, _ = preview_errors(client, preview)
    assert errors == [
        "Line 3, Date of birth: “03/08/1985” could be 3 August 1985 or 8 March 1985. Write it as 1985-08-03 or "
        "1985-03-08. No date in the file shows whether the day or the month comes first: choose the order on "
        "the upload form.",
        "Line 5, Date of birth: “04/05/1986” could be 4 May 1986 or 5 April 1986. Write it as 1986-05-04 or "
        "1986-04-05. No date in the file shows whether the day or the month comes first: choose the order on "
        "the upload form.",
    ]
    confirm(client, preview)
    assert not Nomination.objects.exists()


def test_import_decides_the_order_from_the_files_plain_dates(client, project, secretariat):
    client.force_login(secretariat)
    preview = upload(client, project, csv_file(_dob_rows("03/08/1985", "25/08/1985", "3 Aug 1985", "1980-01-15")))
    errors, html = preview_errors(client, preview)
    assert errors == []
    assert "Dates such as 03/08/1985 are read day first, as line 3 (“25/08/1985”) shows." in html
    confirm(client, preview)
    stored = dict(Nomination.objects.values_list("email", "date_of_birth"))
    assert stored == {
        "somchai1@example.org": datetime.date(1985, 8, 3),
        "somchai2@example.org": datetime.date(1985, 8, 25),
        "somchai3@example.org": datetime.date(1985, 8, 3),
        "somchai4@example.org": datetime.date(1980, 1, 15),
    }


def test_import_refuses_a_file_with_both_orders_naming_the_lines(client, project, secretariat):
    client.force_login(secretariat)
    preview = upload(client, project, csv_file(_dob_rows("25/08/1985", "03/08/1985", "08/25/1985", "12/31/1979")))
    errors, _ = preview_errors(client, preview)
    assert errors == [
        "Line 2, Date of birth: “25/08/1985” has the day first, but lines 4 and 5 have the month first; "
        "write every date in one order, best as YYYY-MM-DD.",
        "Line 3, Date of birth: “03/08/1985” could be 3 August 1985 or 8 March 1985. Write it as 1985-08-03 or "
        "1985-03-08. The file's other dates do not agree on the day/month order.",
        "Line 4, Date of birth: “08/25/1985” has the month first, but line 2 has the day first; "
        "write every date in one order, best as YYYY-MM-DD.",
        "Line 5, Date of birth: “12/31/1979” has the month first, but line 2 has the day first; "
        "write every date in one order, best as YYYY-MM-DD.",
    ]


def test_import_reads_dates_in_the_order_chosen_on_the_upload_form(client, project, secretariat):
    client.force_login(secretariat)
    url = reverse("nominations:import", kwargs={"code": project.code})
    file = csv_file(_dob_rows("03/08/1985", "3 Aug 1985"))
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, {"country": factories.country("TH").pk, "file": file, "date_order": "mdy"})
    preview = response["Location"]
    errors, html = preview_errors(client, preview)
    assert errors == [] and "are read month first, as chosen on the upload form." in html
    confirm(client, preview)
    assert sorted(Nomination.objects.values_list("date_of_birth", flat=True)) == [
        datetime.date(1985, 3, 8),
        datetime.date(1985, 8, 3),
    ]


def test_import_refuses_a_date_that_contradicts_the_chosen_order(client, project, secretariat):
    client.force_login(secretariat)
    url = reverse("nominations:import", kwargs={"code": project.code})
    file = csv_file(_dob_rows("25/08/1985"))
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, {"country": factories.country("TH").pk, "file": file, "date_order": "mdy"})
    errors, _ = preview_errors(client, response["Location"])
    assert errors == [
        "Line 2, Date of birth: “25/08/1985” cannot be read month first as chosen on the upload form; "
        "write it as 1985-08-25 if that is meant."
    ]


def test_import_refuses_impossible_dates_of_birth(client, secretariat):
    import time_machine

    with time_machine.travel(datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC), tick=False):
        project = factories.ProjectFactory(start_date=datetime.date(2026, 6, 15), end_date=datetime.date(2026, 6, 17))
        client.force_login(secretariat)
        today = "2026-03-02"
        preview = upload(client, project, csv_file(_dob_rows("2090-01-01", "1850-01-01", today, "31/02/1985")))
        errors, _ = preview_errors(client, preview)
    assert errors == [
        "Line 2, Date of birth: The date of birth 2090-01-01 is not before the project starts (15 Jun 2026).",
        "Line 3, Date of birth: With the date of birth 1850-01-01 the candidate would be 176 when the project "
        "starts (15 Jun 2026); candidates are 18 to 80 years old.",
        "Line 4, Date of birth: With the date of birth 2026-03-02 the candidate would be 0 when the project "
        "starts (15 Jun 2026); candidates are 18 to 80 years old.",
        "Line 5, Date of birth: “31/02/1985” is not a date in the calendar.",
    ]


# --- Import: names, phones, statements, formulas ----------------------------------------------------


def test_import_cleans_names_and_refuses_blank_ones(client, project, secretariat):
    client.force_login(secretariat)
    rows = [
        row(1, **{"Name for the certificate": "\u202eSomchai Person1"}),
        row(2, **{"Name for the certificate": "\u200b\u200b"}),
        row(3, **{"Name in own script": "সোমচাই\u200b"}),
    ]
    errors, _ = preview_errors(client, upload(client, project, csv_file(rows)))
    assert errors == [
        "Line 3, Name for the certificate: This name has no visible letters: it holds only spaces, invisible or "
        "formatting characters."
    ]
    preview = upload(client, project, csv_file([rows[0], rows[2]]))
    confirm(client, preview)
    assert sorted(Nomination.objects.values_list("certificate_name", "native_name")) == [
        ("Somchai Person1", "สมชาย"),
        ("Somchai Person3", "সোমচাই"),
    ]


def test_import_refuses_bad_phones_and_long_statements(client, project, secretariat):
    client.force_login(secretariat)
    rows = [row(1, Phone="+1-2-3-4-5-6"), row(2, Statement="s" * 3001), row(3, Phone="+94 11 2345678")]
    errors, _ = preview_errors(client, upload(client, project, csv_file(rows)))
    assert errors == [
        "Line 2, Phone: A phone number has 7 to 15 digits (country code included); this one has 6.",
        "Line 3, Statement: Ensure this value has at most 3000 characters (it has 3001).",
    ]


def test_import_reports_xlsx_formula_cells_as_formulas(client, project, secretariat):
    client.force_login(secretariat)
    file = xlsx_file([row(1, Phone="=1-2-3-4-5-6"), row(2, Organization='=HYPERLINK("http://x.example","x")')])
    errors, _ = preview_errors(client, upload(client, project, file))
    assert errors == [
        "Line 2, Phone: The cell holds a formula (=1-2-3-4-5-6), not a value; type the value itself "
        "(in Excel: Copy, then Paste Special > Values).",
        'Line 3, Organization: The cell holds a formula (=HYPERLINK("http://x.example","x")), not a value; '
        "type the value itself (in Excel: Copy, then Paste Special > Values).",
    ]


def test_csv_export_starts_with_a_byte_order_mark(client, project, secretariat):
    factories.NominationFactory(project=project, native_name="মোহাম্মদ রফিকুল ইসলাম", submitted=True)
    response = _export(client, project, "csv", secretariat)
    assert response.content.startswith(b"\xef\xbb\xbfProject,Country,")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "মোহাম্মদ রফিকুল ইসলাম" in response.content.decode("utf-8")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_reimporting_an_export_keeps_the_values_without_the_neutralising_quote(client, secretariat, fmt):
    from django.core.files.uploadedfile import SimpleUploadedFile

    project = factories.ProjectFactory()
    values = {
        "==1+1": "+1-234-567-8901",
        '=HYPERLINK("http://evil.example","click")': "+94 11 2345678",
        "@SUM(A1:A9)": "+66-2-123-4567",
        "'Quoted' Ltd": "02 123 4567",
    }
    for i, (organization, phone) in enumerate(values.items()):
        factories.NominationFactory(
            project=project,
            certificate_name=f"Person {i}",
            organization=organization,
            phone=phone,
            date_of_birth=datetime.date(1980, 1, 2 + i),
            submitted=True,
        )
    exported = _export(client, project, fmt, secretariat).content
    # Withdrawn, the exported nominations no longer count as present: the import creates them anew.
    Nomination.objects.update(status=NominationStatus.WITHDRAWN, priority=None)
    preview = upload(client, project, SimpleUploadedFile(f"export.{fmt}", exported), iso2="IN")
    errors, html = preview_errors(client, preview)
    assert errors == [] and 'id="count-new">4<' in html
    confirm(client, preview)
    stored = Nomination.objects.filter(project=project, status=NominationStatus.SUBMITTED)
    assert dict(stored.values_list("organization", "phone")) == values
    assert sorted(stored.values_list("date_of_birth", flat=True)) == [datetime.date(1980, 1, d) for d in (2, 3, 4, 5)]


def test_export_neutralises_phone_numbers_a_spreadsheet_would_compute():
    assert neutralise("+1-234-567-8901") == "'+1-234-567-8901"
    assert neutralise("+94 11 2345678") == "+94 11 2345678"


def test_import_preview_of_a_large_file_lists_its_first_rows_and_imports_them_all(
    client, project, secretariat, monkeypatch
):
    from nominations.views import imports as views

    monkeypatch.setattr(views, "ROWS_SHOWN", 3)
    client.force_login(secretariat)
    preview = upload(client, project, csv_file([row(i) for i in range(1, 6)]))
    html = client.get(preview).content.decode()
    assert html.count("<tr><td>") == 3 and "The first 3 of 5 are listed." in html
    assert "Import 5 nominations" in html
    progress = confirm(client, preview)["Location"]
    assert "Done: 5 nominations created, 0 already present." in client.get(progress).content.decode()
