import time
from disclosures.models import Disclosure
from tests.disclosures.test_import_export import csv_file, row, dry_run, confirm
def test_timing(client, publisher_a, department_a):
    client.force_login(publisher_a)
    content = csv_file([row(title=f"第{n}份公開", document_number=f"漢財發〔2026〕{n}號") for n in range(1000)])
    t0 = time.perf_counter()
    preview = dry_run(client, "disclosure", content)
    t1 = time.perf_counter()
    assert preview.context["confirm_form"] is not None
    confirm(client, "disclosure", preview)
    t2 = time.perf_counter()
    assert Disclosure.objects.count() == 1000
    print(f"\nTIMING dry run {t1-t0:.2f}s confirm {t2-t1:.2f}s")
