"""Standard-catalogue files as counties keep them, built for the tests: a title row, the
two-row header, an 一級事項 merged over rows, ■ / □ channel boxes and √ ticks."""

import csv
import io

import openpyxl

from portal.chinese import to_simplified

TOP = ["序號", "公開事項", "", "公開內容（要素）", "公開依據", "公開時限", "公開主體", "公開渠道和載體", "公開對象", "",
       "公開方式", ""]
SUB = ["", "一級事項", "二級事項", "", "", "", "", "", "全社會", "特定群眾", "主動", "依申請公開"]

#: Two domains: (domain, rows). Each row: 序號, 一級, 二級, 要素, 依據, 時限, 主體, 渠道, 全社會, 特定, 主動, 依申請.
DOMAINS = [
    ("社會救助", [
        ["1", "最低生活保障", "政策文件", "最低生活保障的法規、規章和規範性文件",
         "《社會救助暫行辦法》、《政府信息公開條例》", "信息形成（或變更）之日起20個工作日內", "縣民政局",
         "■政府網站 ■兩微一端 □公開查閱點 ■便民服務站", "√", "", "√", ""],
        ["", "", "審批結果", "救助對象姓名、保障人數、救助金額",
         "《最低生活保障審核確認辦法》", "按季度", "鄉鎮人民政府", "■公開欄 ■政府網站", "", "√", "√", ""],
        ["2", "特困人員救助供養", "辦事指南", "申請條件、辦理流程、辦理時限、咨詢電話",
         "同上", "實時公開", "縣民政局", "■政務服務中心", "√", "", "√", "√"],
    ]),
    ("重大建設項目", [
        ["1", "批准服務信息", "審批結果", "項目名稱、審批部門、批復文號",
         "《政府信息公開條例》、《國務院辦公廳關於推進重大建設項目批准和實施領域政府信息公開的意見》",
         "及時公開", "縣發展和改革局", "■投資項目在線審批監管平台 ■政府網站 □發布會/聽證會", "√", "", "√", ""],
    ]),
]


def workbook_bytes(*, simplified=False, one_sheet=False, domains=DOMAINS) -> bytes:
    """An XLSX file: one sheet per domain (or one for all), 一級事項 and 序號 merged."""
    convert = to_simplified if simplified else (lambda text: text)
    book = openpyxl.Workbook()
    book.remove(book.active)
    sheet = None
    for name, rows in domains:
        if sheet is None or not one_sheet:
            sheet = book.create_sheet(convert(name) if not one_sheet else "Sheet1")
        start = sheet.max_row + (1 if sheet.max_row > 1 else 0)
        sheet.cell(start, 1, convert(f"（一）{name}領域基層政務公開標準目錄"))
        sheet.merge_cells(start_row=start, start_column=1, end_row=start, end_column=12)
        for offset, header in enumerate((TOP, SUB), start=1):
            for column, text in enumerate(header, start=1):
                if text:
                    sheet.cell(start + offset, column, convert(text))
        sheet.merge_cells(start_row=start + 1, start_column=2, end_row=start + 1, end_column=3)
        sheet.merge_cells(start_row=start + 1, start_column=9, end_row=start + 1, end_column=10)
        sheet.merge_cells(start_row=start + 1, start_column=11, end_row=start + 1, end_column=12)
        for column in (1, 4, 5, 6, 7, 8):
            sheet.merge_cells(start_row=start + 1, start_column=column, end_row=start + 2, end_column=column)
        first = start + 3
        for offset, row in enumerate(rows):
            for column, text in enumerate(row, start=1):
                if text:
                    sheet.cell(first + offset, column, convert(text))
        # An 一級事項 written once and merged over the rows that share it, as counties do.
        runs, begin = [], 0
        for offset in range(1, len(rows) + 1):
            if offset == len(rows) or rows[offset][1]:
                runs.append((begin, offset - 1))
                begin = offset
        for begin, end in runs:
            if end > begin:
                for column in (1, 2):
                    sheet.merge_cells(start_row=first + begin, start_column=column, end_row=first + end, end_column=column)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(*, encoding="utf-8", simplified=False, domains=DOMAINS) -> bytes:
    """One CSV file for all domains: a title row before each, merged cells left blank."""
    convert = to_simplified if simplified else (lambda text: text)
    out = io.StringIO()
    writer = csv.writer(out)
    for name, rows in domains:
        writer.writerow([convert(f"{name}領域基層政務公開標準目錄")])
        writer.writerow([convert(text) for text in TOP])
        writer.writerow([convert(text) for text in SUB])
        for row in rows:
            writer.writerow([convert(text) for text in row])
    return out.getvalue().encode(encoding)
