import cProfile, pstats
from disclosures.models import Disclosure
from tests.disclosures.test_import_export import csv_file, row, dry_run, confirm
def test_timing(client, publisher_a, department_a):
    client.force_login(publisher_a)
    content = csv_file([row(title=f"第{n}份公開", document_number=f"漢財發〔2026〕{n}號") for n in range(1000)])
    preview = dry_run(client, "disclosure", content)
    prof = cProfile.Profile(); prof.enable()
    confirm(client, "disclosure", preview)
    prof.disable()
    pstats.Stats(prof).sort_stats("cumulative").print_stats(r"(resources|models/base|disclosures|portal|admin|history|log)", 30)
