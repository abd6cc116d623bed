"""Print or write the yearly open-government report of the county or of one department.

    manage.py annual_report --year 2026                       # the county, as text
    manage.py annual_report --year 2026 --department finance --format html --output report.html
    manage.py annual_report --year 2026 --format xlsx --output report.xlsx
    manage.py annual_report --year 2026 --open                # open the drafts due next year

A report entered in the admin (review and litigation counts, text) is used when it exists;
a final one shows its frozen figures.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from disclosures.models.requests import AnnualReport
from disclosures.requests import output, report as yearly
from portal.models import Department


class Command(BaseCommand):
    help = "The yearly open-government report (政府信息公開工作年度報告) of the county or one department."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--department", help="the department's code; the county's report without it")
        parser.add_argument("--format", choices=["text", "html", "xlsx"], default="text")
        parser.add_argument("--output", help="file to write (required for xlsx)")
        parser.add_argument("--open", action="store_true",
                            help="open the draft reports of the year for every department and the county")
        parser.add_argument("--language", default="zh-hant")

    def handle(self, *args, **options):
        year = options["year"]
        if not 2000 <= year <= 2100:
            raise CommandError("--year must be between 2000 and 2100")
        department = None
        if options["department"]:
            department = Department.objects.filter(code=options["department"]).first()
            if department is None:
                raise CommandError(f"no department with the code {options['department']!r}")
        with translation.override(options["language"]):
            if options["open"]:
                return self._open(year)
            report = AnnualReport.objects.filter(year=year, department=department).first()
            document = yearly.build(year, department, report)
            if options["format"] == "xlsx":
                if not options["output"]:
                    raise CommandError("--format xlsx needs --output")
                with open(options["output"], "wb") as out:
                    out.write(output.xlsx(document))
                return
            text = output.html_fragment(document) if options["format"] == "html" else self._text(document)
            if options["output"]:
                with open(options["output"], "w", encoding="utf-8") as out:
                    out.write(text)
            else:
                self.stdout.write(text)
            if document.problems:
                self.stderr.write("\n".join(document.problems))

    def _open(self, year):
        from disclosures.requests.services import annual_reports_schedule

        self.stdout.write(f"{annual_reports_schedule(year=year)} draft reports opened for {year}.")

    def _text(self, document) -> str:
        lines = [f"{document.year} · {document.body}", ""]
        for figure in document.proactive:
            lines.append(f"{figure.label}: {'—' if figure.value is None else figure.value}  ({figure.source})")
        lines.append("")
        lines.append("\t".join(["", *(str(label) for _key, label in yearly.columns())]))
        for row, cells in document.rows():
            lines.append("\t".join(["  " * row.level + str(row.label), *map(str, cells)]))
        return "\n".join(lines)
