"""Imports from upload to result (docs/import-export.md): where an uploaded file waits for
its confirmation, which imports a Celery worker runs, their progress, and what is kept of
each one — an ``ImportJob``.

The admin (``portal.admin_scoping.ScopedImportExportAdmin``) reads every upload through
``portal.import_files``. A file of up to ``GONGKAI_IMPORT_SYNC_ROWS`` rows is checked (the
dry run) within the request, as before; a larger one is checked by a worker. Either way a
file that passes its check is kept in its ``ImportJob`` — in the database, so that any web
process or worker can read it and nothing lies in a temporary folder — until it is
confirmed, then imported (within the request, or by a worker for a large file). The file is
deleted when it is imported, when it is refused, and when it has waited
``GONGKAI_IMPORT_KEEP_SECONDS`` (``import_files_expire``, run by beat and at each upload).

The confirmation names the job by a random token and is accepted only from the user who
uploaded the file, for the same kind of object, while the job waits: any other token —
unknown, another user's, expired, already used, or a path — finds nothing.

How each row is saved is the app's resource's business (``<app>/resources.py`` on
``portal.resources.ScopedResource``): department scope and all-or-nothing stay as they are.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import secrets
from functools import partial

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from import_export.results import RowResult
from import_export.signals import post_import

from portal.import_files import FileRefused, read_dataset
from portal.models import ImportJob, StaffProfile
from portal.permissions import scope

logger = logging.getLogger(__name__)

#: Row-level errors kept with a job; a file whose every row is wrong keeps the first ones.
MAX_KEPT_ERRORS = 500
#: How often (in rows) a running import tells its progress.
PROGRESS_EVERY = 20
#: The cache every web process and worker sees (settings: the Redis, or files under var/).
PROGRESS_CACHE = "progress"


def runs_in_worker(rows: int) -> bool:
    """A file of more rows than ``GONGKAI_IMPORT_SYNC_ROWS`` is checked and imported by a worker."""
    return rows > settings.GONGKAI_IMPORT_SYNC_ROWS


def visible_to(user) -> QuerySet[ImportJob]:
    """Imports a user may see: their own, and those of the departments their role lets them
    see imports of (``portal.importjob`` view permission, scoped as everything else)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ImportJob.objects.none()
    scoped = scope(user, ImportJob.objects.all(), "view").values("pk")
    return ImportJob.objects.filter(Q(user=user) | Q(pk__in=scoped))


def import_job_create(*, user, model, resource_class, file_format: str, upload, rows: int, checked: bool) -> ImportJob:
    """Keep an uploaded file: waiting for its confirmation when ``checked`` (its dry run
    ran within the request), otherwise queued for a worker to check."""
    import_files_expire()
    upload.seek(0)
    job = ImportJob.objects.create(
        token=secrets.token_urlsafe(32),
        user=user,
        department_id=StaffProfile.objects.filter(user=user).values_list("department_id", flat=True).first(),
        content_type=ContentType.objects.get_for_model(model),
        resource=f"{resource_class.__module__}.{resource_class.__qualname__}",
        file_name=(upload.name or "")[:255],
        file_format=file_format,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        content=upload.read(),
        status=ImportJob.Status.READY if checked else ImportJob.Status.CHECKING,
        total_rows=rows,
    )
    upload.seek(0)
    if not checked:
        _queue(job)
    return job


def import_job_confirm(*, user, model, token: str) -> ImportJob | None:
    """Claim a checked file for its import. ``None`` unless ``token`` names a job of this
    user, for this model, that waits for its confirmation and has not expired."""
    if not isinstance(token, str) or not 20 <= len(token) <= 64:
        return None
    now = timezone.now()
    claimed = ImportJob.objects.filter(
        token=token,
        user=user,
        content_type=ContentType.objects.get_for_model(model),
        status=ImportJob.Status.READY,
        created_at__gte=now - dt.timedelta(seconds=settings.GONGKAI_IMPORT_KEEP_SECONDS),
    ).update(status=ImportJob.Status.IMPORTING, updated_at=now)
    if not claimed:
        return None
    job = ImportJob.objects.get(token=token)
    if runs_in_worker(job.total_rows):
        _queue(job)
    return job


def import_job_run(job_id: int):
    """Check (a dry run) or import a job's file, as its status says, and record what came
    of it. Returns the import-export ``Result``, or ``None`` when there was nothing to do or
    the run failed (the job then says so). Run by the worker (``portal.tasks.run_import``),
    and within the request for a small file."""
    try:
        return _run(job_id)
    except Exception:
        # Including the worker's time limit: the transaction is rolled back, nothing is
        # imported, and the job says so instead of waiting for ever.
        logger.exception("Import job %s failed", job_id)
        _abandon(
            job_id,
            lambda: _("The import stopped before it finished (it took too long, or the server failed). "
                      "Nothing was imported. Try again, or split the file."),
        )
        return None
    finally:
        caches[PROGRESS_CACHE].delete(_progress_key(job_id))


def _run(job_id: int):
    imported = False
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status not in ImportJob.RUNNING:
            return None  # already done: a task delivered twice, or a confirmation raced
        dry_run = job.status == ImportJob.Status.CHECKING
        with translation.override(job.language):
            user = job.user
            if job.content is None or user is None or not user.is_active:
                _finish(job, ImportJob.Status.REFUSED, errors=[_problem(_("The file or its uploader is gone."))])
                return None
            try:
                dataset = read_dataset(io.BytesIO(bytes(job.content)), job.file_format, name=job.file_name)
            except FileRefused as refusal:
                _finish(job, ImportJob.Status.REFUSED, errors=[_problem(refusal.message)])
                return None
            resource = _resource_class(job)(user=user)
            result = resource.import_data(
                dataset,
                dry_run=dry_run,
                raise_errors=False,
                file_name=job.file_name,
                user=user,
                retain_instance_in_row_result=not dry_run,
                progress=_Progress(job.pk),
            )
            imported = _record(job, result, dry_run=dry_run, labels=resource.error_labels())
            if imported:
                _log_entries(job, result)
    if imported:
        post_import.send(sender=None, model=job.content_type.model_class())
    return result


def _resource_class(job: ImportJob):
    from portal.resources import ScopedResource

    resource_class = import_string(job.resource)
    if not (isinstance(resource_class, type) and issubclass(resource_class, ScopedResource)):
        raise TypeError(f"{job.resource} is not a ScopedResource")
    return resource_class


def _record(job: ImportJob, result, *, dry_run: bool, labels: dict[str, str]) -> bool:
    """The counts and errors of a run; returns whether rows were written."""
    totals = result.totals
    job.total_rows = result.total_rows
    job.refused_rows = totals[RowResult.IMPORT_TYPE_ERROR] + totals[RowResult.IMPORT_TYPE_INVALID]
    problems = problems_of(result, labels)
    if problems:
        # All or nothing: nothing of this file was (or would be) written.
        job.new_rows = job.updated_rows = job.unchanged_rows = 0
        _finish(job, ImportJob.Status.REFUSED, errors=problems)
        return False
    job.new_rows = totals[RowResult.IMPORT_TYPE_NEW]
    job.updated_rows = totals[RowResult.IMPORT_TYPE_UPDATE]
    job.unchanged_rows = totals[RowResult.IMPORT_TYPE_SKIP]
    if dry_run:
        job.status = ImportJob.Status.READY
        job.save()
        return False
    _finish(job, ImportJob.Status.IMPORTED, errors=[])
    return True


def _finish(job: ImportJob, status, *, errors: list[dict]) -> None:
    if len(errors) > MAX_KEPT_ERRORS:
        more = len(errors) - MAX_KEPT_ERRORS
        errors = errors[:MAX_KEPT_ERRORS] + [_problem(_("… and %(count)d more.") % {"count": more})]
    job.status = status
    job.errors = errors
    job.content = None  # the file is deleted as soon as the job is done
    job.finished_at = timezone.now()
    job.save()


def _abandon(job_id: int, message) -> None:
    """End a job that cannot run; ``message`` is called in the uploader's language."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id, status__in=ImportJob.RUNNING).first()
        if job is not None:
            with translation.override(job.language):
                _finish(job, ImportJob.Status.REFUSED, errors=[_problem(message())])


def _log_entries(job: ImportJob, result) -> None:
    """What the admin's own import writes into each object's history."""
    if getattr(settings, "IMPORT_EXPORT_SKIP_ADMIN_LOG", False):
        return
    flags = {
        RowResult.IMPORT_TYPE_NEW: (ADDITION, _("Added by importing “%(file)s”.")),
        RowResult.IMPORT_TYPE_UPDATE: (CHANGE, _("Changed by importing “%(file)s”.")),
        RowResult.IMPORT_TYPE_DELETE: (DELETION, _("Deleted by importing “%(file)s”.")),
    }
    for import_type, (flag, message) in flags.items():
        instances = [row.instance for row in result if row.import_type == import_type and row.instance is not None]
        if instances:
            LogEntry.objects.log_actions(
                job.user_id,
                instances,
                flag,
                change_message=message % {"file": job.file_name},
                single_object=len(instances) == 1,
            )


def _problem(message: str, row: int | None = None, field: str = "") -> dict:
    return {"row": row, "field": field, "message": str(message)}


def problems_of(result, labels: dict[str, str] | None = None) -> list[dict]:
    """Every error of an import-export ``Result``: the file's, each row's, each field's —
    a field under its column's label (``ScopedResource.error_labels``) where given."""
    labels = labels or {}
    problems = [_problem(error.error) for error in result.base_errors]
    for number, errors in result.row_errors():
        problems += [_problem(error.error, number) for error in errors]
    for row in result.invalid_rows:
        for field, texts in row.error_dict.items():
            column = "" if field == NON_FIELD_ERRORS else labels.get(field, field)
            problems += [_problem(text, row.number, column) for text in texts]
    return problems


def describe(problem: dict) -> str:
    """One error, as a line of a message."""
    if problem.get("row") is None:
        return problem["message"]
    if problem.get("field"):
        return _("row %(row)s, %(field)s: %(error)s") % {
            "row": problem["row"], "field": problem["field"], "error": problem["message"],
        }
    return _("row %(row)s: %(error)s") % {"row": problem["row"], "error": problem["message"]}


def import_files_expire(*, now: dt.datetime | None = None) -> int:
    """Delete the files of imports not confirmed within ``GONGKAI_IMPORT_KEEP_SECONDS`` of
    their upload, and of imports a worker took and never finished (a run is stopped after
    ``run_import``'s time limit, far shorter). Returns how many files were deleted."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.GONGKAI_IMPORT_KEEP_SECONDS)
    expired = ImportJob.objects.filter(
        status__in=[ImportJob.Status.CHECKING, ImportJob.Status.READY], created_at__lt=cutoff
    ).update(status=ImportJob.Status.EXPIRED, content=None, finished_at=now, updated_at=now)
    stalled = ImportJob.objects.filter(status=ImportJob.Status.IMPORTING, updated_at__lt=cutoff).update(
        status=ImportJob.Status.REFUSED, content=None, finished_at=now, updated_at=now
    )
    return expired + stalled


# --- progress --------------------------------------------------------------------------
def _progress_key(job_id: int) -> str:
    return f"import-progress:{job_id}"


class _Progress:
    """Told each row's number by ``ScopedResource.before_import_row``; writes it to the cache
    every few rows, outside the import's transaction, where the job's page reads it."""

    def __init__(self, job_id: int):
        self.key = _progress_key(job_id)
        self.told = 0

    def __call__(self, row_number: int) -> None:
        if row_number == 1 or row_number - self.told >= PROGRESS_EVERY:
            caches[PROGRESS_CACHE].set(self.key, row_number, timeout=settings.GONGKAI_IMPORT_KEEP_SECONDS)
            self.told = row_number


def progress_of(job: ImportJob) -> int | None:
    """Rows a worker has gone through so far; ``None`` before it started."""
    if job.status not in ImportJob.RUNNING:
        return None
    return caches[PROGRESS_CACHE].get(_progress_key(job.pk))


# --- queueing --------------------------------------------------------------------------
def _queue(job: ImportJob) -> None:
    transaction.on_commit(partial(_hand_to_worker, job.pk))


def _hand_to_worker(job_id: int) -> None:
    from portal.tasks import run_import

    try:
        run_import.apply_async(args=[job_id], retry=False)
    except Exception as error:  # a broker down or misconfigured: the upload still gets an answer
        logger.warning("Import job %s not queued: %r", job_id, error)
        _abandon(job_id, lambda: _("The import could not be handed to a worker. Nothing was imported. Try again later."))
