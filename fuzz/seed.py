#!/usr/bin/env python3
"""Seeds the fuzz corpora from the test fixtures and a few hand-made workbooks.

    python3 fuzz/seed.py        # writes fuzz/corpus/{sheet,project,report}
"""
import os
import pathlib

root = pathlib.Path(__file__).resolve().parent
fixtures = root.parent / "tests" / "fixtures"
corpus = root / "corpus"


def put(target, name, data):
    d = corpus / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)


# Spreadsheets: kind byte + payload (see fuzz_targets/sheet.rs).
sheet = (b'<worksheet><dimension ref="A1:C3"/><sheetData>'
         b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>Email</t></is></c></row>'
         b'<row r="2"><c r="A2" s="1"><v>42184.38</v></c><c r="B2" t="s"><v>1</v></c><c r="C2" t="b"><v>1</v></c></row>'
         b'<row><c t="str"><f>A1</f><v>x_x000D_y</v></c><c t="e"><v>#N/A</v></c><c t="d"><v>2025-01-05T10:00:00</v></c></row>'
         b'</sheetData></worksheet>')
sst = (b'<sst uniqueCount="2"><si><t>Order Date</t></si><si><r><t>a@</t></r><r><t>b.org</t></r>'
       b'<rPh><t>x</t></rPh></si></sst>')
put("sheet", "xlsx", b"\x00" + sheet + sst)
content = (b'<office:document-content><office:body><office:spreadsheet><table:table table:name="A">'
           b'<table:table-row><table:table-cell office:value-type="string"><text:p>Anmeldedatum</text:p></table:table-cell>'
           b'<table:table-cell office:value-type="string"><text:p>E-Mail<text:s text:c="2"/></text:p></table:table-cell></table:table-row>'
           b'<table:table-row table:number-rows-repeated="3"><table:table-cell office:value-type="date" office:date-value="2025-03-01T18:00:00"/>'
           b'<table:table-cell office:value-type="float" office:value="3" table:number-columns-repeated="2"/>'
           b'<table:table-cell office:value-type="time" office:time-value="PT09H15M43S"/></table:table-row>'
           b'</table:table></office:spreadsheet></office:body></office:document-content>')
put("sheet", "ods", b"\x01" + content)


def rec(typ, data):
    return typ.to_bytes(2, "little") + len(data).to_bytes(2, "little") + data


def xstr(s):
    return len(s).to_bytes(2, "little") + b"\x00" + s.encode("latin-1")


glob = rec(0x0809, b"\x00\x06\x05\x00" + bytes(12)) + rec(0x0022, b"\x01\x00")
glob += rec(0x00E0, b"\x00\x00\x16\x00" + bytes(16))
glob += rec(0x041E, b"\xa4\x00" + xstr("yyyy-mm-dd"))
bound_at = len(glob) + 4
glob += rec(0x0085, bytes(6) + b"\x06\x00Orders")
glob += rec(0x00FC, (2).to_bytes(4, "little") * 2 + xstr("Order Date") + xstr("Email")[:5])
glob += rec(0x003C, b"\x00il")
glob += rec(0x000A, b"")
sheet_at = len(glob)
glob = glob[:bound_at] + sheet_at.to_bytes(4, "little") + glob[bound_at + 4:]
cells = rec(0x0809, b"\x00\x06\x10\x00" + bytes(12))
cells += rec(0x00FD, (0).to_bytes(2, "little") * 3 + (0).to_bytes(4, "little"))
cells += rec(0x00FD, b"\x00\x00\x01\x00\x00\x00" + (1).to_bytes(4, "little"))
cells += rec(0x0203, b"\x01\x00\x00\x00\x00\x00" + bytes(8))
cells += rec(0x027E, b"\x01\x00\x01\x00\x00\x00" + bytes(4))
cells += rec(0x00BD, b"\x02\x00\x00\x00" + bytes(12) + b"\x01\x00")
cells += rec(0x0006, b"\x03\x00\x00\x00\x00\x00" + b"\x00\x00\x00\x00\x00\x00\xff\xff" + bytes(6))
cells += rec(0x0207, xstr("formula text"))
cells += rec(0x000A, b"")
put("sheet", "xls", b"\x02" + glob + cells)

# Projects.
put("project", "full", b'(version: 1, demo: None, files: [(path: "a.csv", edition: (kind: "past", '
    b'event_start: Some(1700000000)), content_hash: "0123456789abcdef", size: 10, read: (overrides: '
    b'[(email, "E-Mail")], date_format: "dmy", sheet: Some("Orders")))], settings: (assumptions: '
    b'(capacity: 100, walk_ins: 3, flagged: (mode: "at_rate", rate: 0.2), show_up_overrides: {"A": 0.5}), '
    b'time_zone: "Europe/Berlin", flags: (threshold: 0.5, allow_domains: ["x.org"]), holds: (stock: '
    b'{"Poster": 10})), marks: [(file: 0, line: 2, verdict: fake)], hold_files: ["h.csv"])')
put("project", "demo", b"(demo: Some((7, 20000)))")

# Reports: a registration export, 0xFF, a hold log.
holds = b"Time,Status,Email,Item,Quantity\n2025-01-05 10:00,held,a@x.org,Poster,2\n2025-01-05 10:20,paid,a@x.org,Poster,2\n"
for f in sorted(fixtures.iterdir()):
    if f.suffix in (".csv", ".txt") and f.stat().st_size < 20_000:
        data = f.read_bytes()
        put("report", f.name, data + b"\xff" + holds)
        put("sheet", "raw-" + f.name, b"\x03" + data)
