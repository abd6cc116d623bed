"""Imports through the admin from upload to result (portal.import_jobs): the uploaded file
is kept only until it is confirmed, refused or an hour old; a confirmation names nothing
but a waiting import of the same user; large files are checked and imported by a worker
whose progress and result the import's page shows; errors never show the server's insides."""

import datetime as dt

import import_export.widgets
import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings as django_settings
from django.contrib.admin.models import LogEntry
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from disclosures import services
from disclosures.models import Disclosure, Status
from portal import import_jobs
from portal.celery import app as celery_app
from portal.models import ImportJob
from portal.roles import Role
from portal.schedule import load_schedule
from portal.tasks import expire_import_files
from tests.disclosures.test_import_export import COLUMNS, csv_file, row
from tests.factories import DisclosureFactory
from tests.portal.test_reminders_broker import use_broker, wait_for

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:disclosures_disclosure_import")
CONFIRM = reverse("admin:disclosures_disclosure_process_import")


@pytest.fixture(autouse=True)
def english(client):
    """These tests read the messages the admin shows: read them in the source language."""
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


def upload(client, rows, columns=COLUMNS):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = csv_file(rows, columns)
    return client.post(IMPORT, {"resource": "0", "format": "0", "import_file": SimpleUploadedFile("名單.csv", content)})


def job_page(job):
    return reverse("admin:portal_importjob_change", args=[job.pk])


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# --- the file is kept only while it waits --------------------------------------------
def test_a_confirmed_import_keeps_its_result_and_deletes_its_file(client, publisher_a, department_a):
    client.force_login(publisher_a)
    preview = upload(client, [row(title="第一份"), row(title="第二份")])
    job = ImportJob.objects.get()
    assert (job.status, job.user, job.department, job.total_rows) == (ImportJob.Status.READY, publisher_a, department_a, 2)
    assert bytes(job.content) == csv_file([row(title="第一份"), row(title="第二份")])
    assert preview.context["confirm_form"].initial["import_file_name"] == job.token

    done = client.post(CONFIRM, {"import_file_name": job.token}, follow=True)

    job.refresh_from_db()
    assert (job.status, job.new_rows, job.updated_rows, job.refused_rows, job.content) == (
        ImportJob.Status.IMPORTED, 2, 0, 0, None
    )
    assert sorted(Disclosure.objects.values_list("title", flat=True)) == ["第一份", "第二份"]
    assert any("Import finished: 2 new" in message for message in messages_of(done))
    assert LogEntry.objects.filter(user=publisher_a).count() == 2

    again = client.post(CONFIRM, {"import_file_name": job.token})
    assert again.status_code == 400 and Disclosure.objects.count() == 2


def test_no_upload_is_left_in_the_temporary_folder(client, publisher_a, monkeypatch, tmp_path):
    """django-import-export kept every dry run's file in the temporary folder for ever."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    client.force_login(publisher_a)

    upload(client, [row(formed_on="2026-13-45")])  # refused
    upload(client, [row()])  # checked, waiting
    assert list(tmp_path.iterdir()) == []
    client.post(CONFIRM, {"import_file_name": ImportJob.objects.get().token})

    assert list(tmp_path.iterdir()) == [] and Disclosure.objects.count() == 1


def test_a_refused_file_is_not_kept(client, publisher_a, settings):
    settings.GONGKAI_IMPORT_MAX_ROWS = 2
    client.force_login(publisher_a)

    too_long = upload(client, [row(title=f"第{n}份") for n in range(3)])
    invalid = upload(client, [row(formed_on="2026-13-45")])

    assert "The file has more than 2 rows" in too_long.content.decode()
    assert invalid.context["result"].has_validation_errors() and invalid.context.get("confirm_form") is None
    assert not ImportJob.objects.exists() and not Disclosure.objects.exists()


def test_a_file_refused_at_its_confirmation_is_deleted_and_its_errors_kept(client, publisher_a, department_a):
    draft = DisclosureFactory(department=department_a)
    client.force_login(publisher_a)
    upload(client, [row(title="新的"), row(index_number=draft.index_number, title="改過")])
    job = ImportJob.objects.get()
    services.disclosure_submit(actor=publisher_a, disclosure=draft)  # no longer a draft

    done = client.post(CONFIRM, {"import_file_name": job.token}, follow=True)

    job.refresh_from_db()
    assert (job.status, job.content, job.new_rows, job.refused_rows) == (ImportJob.Status.REFUSED, None, 0, 1)
    assert [(error["row"], error["field"]) for error in job.errors] == [(2, "status")]
    assert any("Nothing was imported" in message and "row 2, status" in message for message in messages_of(done))
    assert Disclosure.objects.count() == 1


def test_an_unconfirmed_file_is_deleted_after_an_hour(client, publisher_a):
    client.force_login(publisher_a)
    upload(client, [row()])
    ImportJob.objects.update(created_at=timezone.now() - dt.timedelta(minutes=59))
    assert expire_import_files() == 0  # the beat task
    ImportJob.objects.update(created_at=timezone.now() - dt.timedelta(minutes=61))

    assert expire_import_files() == 1

    job = ImportJob.objects.get()
    assert (job.status, job.content) == (ImportJob.Status.EXPIRED, None)
    late = client.post(CONFIRM, {"import_file_name": job.token})
    assert late.status_code == 400 and not Disclosure.objects.exists()
    assert "The file was not confirmed within the hour" in client.get(job_page(job)).content.decode()


def test_the_cleanup_is_on_the_one_beat_schedule(db):
    PeriodicTask.objects.filter(task="portal.expire_import_files").delete()
    load_schedule()
    task = PeriodicTask.objects.get(task="portal.expire_import_files")
    assert task.enabled and task.crontab.minute == "*/10"


def test_the_schedule_is_named_in_chinese_and_old_english_names_are_renamed_once(db):
    PeriodicTask.objects.filter(task="portal.expire_import_files").update(name="Delete import files not confirmed in time")
    PeriodicTask.objects.filter(task="portal.scan_deadlines").update(name="掃描（縣裡改過的名稱）")
    load_schedule()
    names = dict(PeriodicTask.objects.values_list("task", "name"))
    assert names["portal.expire_import_files"] == "刪除逾時未確認的匯入檔案"
    assert names["portal.scan_deadlines"] == "掃描（縣裡改過的名稱）"  # the coordinator's name is kept
    assert PeriodicTask.objects.filter(task__in=["portal.expire_import_files", "portal.scan_deadlines"]).count() == 2


def test_a_hostile_workbook_is_refused_at_upload_in_the_users_language(client, publisher_a, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.portal.hostile_files import huge_dimension

    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    client.force_login(publisher_a)
    content = huge_dimension(tmp_path / "表.xlsx").read_bytes()

    refused = client.post(IMPORT, {"resource": "0", "format": "1", "import_file": SimpleUploadedFile("表.xlsx", content)})

    assert refused.status_code == 200
    assert "該工作表聲明有 16384 列（A1:XFD3000）；匯入最多讀取 100 列。" in refused.content.decode()
    assert refused.context.get("confirm_form") is None and not ImportJob.objects.exists()


# --- a confirmation names nothing but a waiting import of its user -------------------
@pytest.mark.parametrize("token", [
    "no-such-import-0123456789abcdef", "../../../../etc/passwd", "/tmp/tmpab12cd34", "", "a" * 500, "x\x00y",
])
def test_a_hand_made_confirmation_is_a_400_with_a_message(client, publisher_a, token):
    client.force_login(publisher_a)

    response = client.post(CONFIRM, {
        "import_file_name": token, "original_file_name": "x.csv", "format": "0", "resource": "0",
    })

    assert response.status_code == 400
    html = response.content.decode()
    assert "This import cannot be confirmed" in html and "Upload the file again" in html
    assert "Traceback" not in html and "FileNotFoundError" not in html
    assert not Disclosure.objects.exists()


def test_another_users_file_cannot_be_confirmed(client, publisher_a, make_staff, department_a, coordinator):
    colleague = make_staff("publisher_a2", Role.PUBLISHER, department_a)
    client.force_login(colleague)
    upload(client, [row()])
    job = ImportJob.objects.get()

    client.force_login(publisher_a)
    assert client.post(CONFIRM, {"import_file_name": job.token}).status_code == 400
    client.force_login(coordinator)  # and not as another kind of object either
    assert client.post(reverse("admin:disclosures_category_process_import"), {"import_file_name": job.token}).status_code == 400

    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY and not Disclosure.objects.exists()


# --- no server insides on the page ---------------------------------------------------
def test_an_import_error_shows_no_traceback_or_server_path(client, publisher_a, monkeypatch):
    def broken(self, value, row=None, **kwargs):
        raise OSError(2, "No such file or directory", "/srv/gongkai/secret/settings.py")

    monkeypatch.setattr(import_export.widgets.CharWidget, "clean", broken)  # the library fails, not our code
    client.force_login(publisher_a)

    preview = upload(client, [row()])

    html = preview.content.decode()
    assert "An error on the server stopped this import" in html
    for leak in ("/srv/gongkai", "Traceback", "site-packages", "OSError", "No such file"):
        assert leak not in html
    assert not ImportJob.objects.exists()


def test_an_error_of_the_file_as_a_whole_shows_its_message_without_a_traceback(client, publisher_a):
    client.force_login(publisher_a)

    preview = upload(client, [row()], columns=[column for column in COLUMNS if column != "index_number"])

    html = preview.content.decode()
    assert "index_number" in html and preview.context["result"].base_errors
    assert "Traceback" not in html and "site-packages" not in html


# --- large files: a worker, a page that refreshes itself -----------------------------
def test_a_large_file_goes_to_a_worker_and_its_page_refreshes_itself(
    client, publisher_a, settings, django_capture_on_commit_callbacks
):
    settings.GONGKAI_IMPORT_SYNC_ROWS = 3
    client.force_login(publisher_a)

    with django_capture_on_commit_callbacks() as queued:
        response = upload(client, [row(title=f"第{n}份") for n in range(4)])

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job_page(job)
    assert (job.status, job.total_rows, len(queued)) == (ImportJob.Status.CHECKING, 4, 1)
    page = client.get(job_page(job)).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page and "Waiting for a worker to start" in page
    assert "<script>" not in page.split("</head>")[0].split("<title>")[1]  # nothing inline added
    assert not Disclosure.objects.exists()


def test_a_workers_check_and_import_show_their_progress_and_keep_their_counts(
    client, publisher_a, department_a, settings, django_capture_on_commit_callbacks
):
    settings.GONGKAI_IMPORT_SYNC_ROWS = 3
    client.force_login(publisher_a)
    upload(client, [row(title=f"第{n}份") for n in range(45)])
    job = ImportJob.objects.get()
    pages = []

    def look_at_the_page(sender, instance, **kwargs):
        if instance.title == "第29份":  # the 30th row
            pages.append(client.get(job_page(job)).content.decode())

    post_save.connect(look_at_the_page, sender=Disclosure, dispatch_uid="look-at-the-page")
    try:
        import_jobs.import_job_run(job.pk)  # what the worker runs: the check
        job.refresh_from_db()
        assert (job.status, job.new_rows, job.refused_rows, job.errors) == (ImportJob.Status.READY, 45, 0, [])
        ready = client.get(job_page(job)).content.decode()
        assert "The file was checked: 45 new" in ready and f'value="{job.token}"' in ready

        with django_capture_on_commit_callbacks() as queued:
            confirmed = client.post(CONFIRM, {"import_file_name": job.token})
        assert confirmed["Location"] == job_page(job) and len(queued) == 1
        import_jobs.import_job_run(job.pk)  # the import
    finally:
        post_save.disconnect(dispatch_uid="look-at-the-page")

    checking, importing = pages
    for page, state in ((checking, "Being checked"), (importing, "Being imported")):
        assert state in page and "Row 21 of 45." in page and '<meta http-equiv="refresh"' in page
    job.refresh_from_db()
    assert (job.status, job.new_rows, job.updated_rows, job.content) == (ImportJob.Status.IMPORTED, 45, 0, None)
    assert Disclosure.objects.filter(department=department_a, status=Status.DRAFT).count() == 45
    done = client.get(job_page(job)).content.decode()
    assert "Imported: 45 new, 0 updated and 0 unchanged rows." in done and "http-equiv" not in done


def test_a_workers_refusal_keeps_every_row_error_and_stays_in_the_department(
    client, publisher_a, department_b, settings
):
    settings.GONGKAI_IMPORT_SYNC_ROWS = 3
    client.force_login(publisher_a)
    rows = [row(title=f"第{n}份") for n in range(5)]
    rows[1]["formed_on"] = "2026-13-45"
    rows[3]["department"] = "dept-b"
    upload(client, rows)
    job = ImportJob.objects.get()

    import_jobs.import_job_run(job.pk)

    job.refresh_from_db()
    assert (job.status, job.content, job.refused_rows) == (ImportJob.Status.REFUSED, None, 2)
    assert {(error["row"], error["field"]) for error in job.errors} == {(2, "formed_on"), (4, "department")}
    page = client.get(job_page(job)).content.decode()
    assert "Nothing was imported: 2 rows were refused." in page
    assert "row 4, department: “dept-b” is not one of your departments." in page
    assert not Disclosure.objects.exists()


def test_an_import_that_cannot_be_queued_says_so(client, publisher_a, settings, django_capture_on_commit_callbacks):
    settings.GONGKAI_IMPORT_SYNC_ROWS = 3
    client.force_login(publisher_a)
    original = celery_app.conf.broker_url
    use_broker("redis://127.0.0.1:1/0")  # nothing listens there
    try:
        with django_capture_on_commit_callbacks(execute=True):
            upload(client, [row(title=f"第{n}份") for n in range(4)])
    finally:
        use_broker(original)

    job = ImportJob.objects.get()
    assert (job.status, job.content) == (ImportJob.Status.REFUSED, None)
    assert "could not be handed to a worker" in job.errors[0]["message"]


# --- who sees an import --------------------------------------------------------------
def test_an_import_is_seen_by_its_department_and_confirmed_only_by_its_uploader(
    client, publisher_a, reviewer_a, publisher_b, coordinator
):
    client.force_login(publisher_a)
    upload(client, [row()])
    job = ImportJob.objects.get()
    changelist = reverse("admin:portal_importjob_changelist")

    mine = client.get(job_page(job)).content.decode()
    assert f'action="{CONFIRM}"' in mine
    for colleague in (reviewer_a, coordinator):
        client.force_login(colleague)
        assert list(client.get(changelist).context["cl"].result_list) == [job]
        page = client.get(job_page(job))
        assert page.status_code == 200 and job.token not in page.content.decode()
    client.force_login(publisher_b)
    assert list(client.get(changelist).context["cl"].result_list) == []
    assert client.get(job_page(job)).status_code == 404


# --- a real worker --------------------------------------------------------------------
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_checks_and_imports_a_large_file(client, reference_data, publisher_a, department_a):
    rows = django_settings.GONGKAI_IMPORT_SYNC_ROWS + 20  # large enough to leave the request
    client.force_login(publisher_a)

    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        response = upload(client, [row(title=f"第{n}份") for n in range(rows)])
        job = ImportJob.objects.get()
        assert response["Location"] == job_page(job)
        assert wait_for(lambda: ImportJob.objects.get(pk=job.pk).status != ImportJob.Status.CHECKING, timeout=120)
        assert f"The file was checked: {rows} new" in client.get(job_page(job)).content.decode()

        client.post(CONFIRM, {"import_file_name": job.token})
        assert wait_for(lambda: ImportJob.objects.get(pk=job.pk).status != ImportJob.Status.IMPORTING, timeout=120)

    job.refresh_from_db()
    assert (job.status, job.total_rows, job.new_rows, job.updated_rows, job.refused_rows, job.content) == (
        ImportJob.Status.IMPORTED, rows, rows, 0, 0, None
    )
    assert Disclosure.objects.filter(department=department_a).count() == rows
    assert f"Imported: {rows} new, 0 updated and 0 unchanged rows." in client.get(job_page(job)).content.decode()
