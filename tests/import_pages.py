"""The admin's import and export pages as a test drives them (any ScopedImportExportAdmin):
``url_name`` is "<app>_<model>", formats are indexes of ``portal.resources.FORMATS``."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

CSV, XLSX = 0, 1  # the order of portal.resources.FORMATS


def dry_run(client, url_name, content, file_format=CSV, name="import.csv", **headers):
    """The import form: a dry run that shows each row's result and writes nothing."""
    return client.post(
        reverse(f"admin:{url_name}_import"),
        {"resource": "0", "format": str(file_format), "import_file": SimpleUploadedFile(name, content)},
        **headers,
    )


def confirm(client, url_name, preview):
    form = preview.context["confirm_form"]
    return client.post(reverse(f"admin:{url_name}_process_import"), {n: form.initial[n] for n in form.fields}, follow=True)


def export(client, url_name, file_format=CSV):
    """The export form with every column ticked; the file's bytes."""
    url = reverse(f"admin:{url_name}_export")
    form = client.get(url).context["form"]
    data = {"resource": "0", "format": str(file_format)}
    data.update({name: "on" for name, field in form.fields.items() if getattr(field, "is_selectable_field", False)})
    response = client.post(url, data)
    assert response["Content-Disposition"].startswith("attachment"), response.content[:500]
    return response.content
