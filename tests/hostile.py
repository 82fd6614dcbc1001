"""Hostile files, generated on the fly, each parsed in a child process under a memory cap and a wall-clock limit:
DOCX decompression bombs (bytes, elements, members), a PDF content-stream bomb, a huge gridSpan, deeply nested tables, a DOCX without a body, huge single-line text,
bad encodings (one bad byte, a file cut mid-character, random binary, VNI/TCVN3-like bytes), a PDF page of
thousands of text boxes, a FIFO, a link to /dev/zero. Some cases also say what the result must be (a damaged UTF-8
file keeps its header and is not "converted" from TCVN3; VNI text and binary are not taken for TCVN3).

The budget (issue 12): parsing takes at most 5 s of CPU time per MB of input (wall time is reported too; a child
still running at 3× the budget + 20 s of wall time is a timeout) and 500 MB of peak memory, or ends in a typed
DocparseError within that budget. Small files get a floor of FLOOR_S seconds (fixed costs); memory is the child's
peak RSS, imports included.

    python tests/hostile.py [--scale 1.0] [--only NAME ...] [--json out.json]

tests/test_hostile.py runs the same cases at a smaller scale.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

S_PER_MB = 5.0
FLOOR_S = 2.0
MAX_MB = 500
CAP_BYTES = 3 * 1024 ** 3  # the child's address-space cap: a bomb cannot take the machine down with it
ROOT = Path(__file__).resolve().parents[1]

# ---- DOCX building -------------------------------------------------------------------------------------------------
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                  '<Default Extension="xml" ContentType="application/xml"/>'
                  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                  'wordprocessingml.document.main+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="word/document.xml"/></Relationships>')


def _para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def docx_bytes(body_chunks, wrap_body: bool = True) -> bytes:
    """A minimal DOCX whose document.xml is the concatenation of `body_chunks` (streamed into the zip, so a bomb
    is never held in memory here)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {_W}>'.encode())
            if wrap_body:
                f.write(b"<w:body>")
            for chunk in body_chunks:
                f.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
            if wrap_body:
                f.write(b"</w:body>")
            f.write(b"</w:document>")
    return buf.getvalue()


def _header_paras() -> str:
    return "".join(_para(t) for t in ("ỦY BAN NHÂN DÂN", "TỈNH SÔNG MÂY", "Số: 12/KH-UBND",
                                      "Sông Mây, ngày 05 tháng 01 năm 2025", "KẾ HOẠCH"))


def docx_bomb(scale: float) -> bytes:
    """Hundreds of MB of XML once unpacked, a few hundred KB on disk (the same paragraph over and over)."""
    chunk = _para("Tỷ lệ hồ sơ đúng hạn đạt 98,5%; giải ngân 12 tỷ đồng.") * 2000
    return docx_bytes([_header_paras()] + [chunk] * max(1, int(2000 * scale)))


def docx_element_bomb(scale: float) -> bytes:
    """Millions of empty elements: small text, huge tree."""
    return docx_bytes([_header_paras()] + ["<w:p/>" * 100000] * max(1, int(100 * scale)))


def docx_huge_gridspan(scale: float) -> bytes:
    """One table whose cells each claim to span a billion grid columns."""
    cell = '<w:tc><w:tcPr><w:gridSpan w:val="1000000000"/></w:tcPr>' + _para("x") + "</w:tc>"
    row = "<w:tr>" + cell * 3 + "</w:tr>"
    return docx_bytes([_header_paras(), "<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid>", row * max(1, int(20 * scale)),
                       "</w:tbl>"])


def docx_deep_tables(scale: float) -> bytes:
    """Tables nested inside table cells, hundreds deep."""
    depth = max(10, int(500 * scale))
    opening = "<w:tbl><w:tr><w:tc>" + _para("ô")
    closing = "</w:tc></w:tr></w:tbl>"
    return docx_bytes([_header_paras(), opening * depth, _para("đáy"), closing * depth])


def docx_no_body(scale: float) -> bytes:
    return docx_bytes([_para("không có thân")], wrap_body=False)


def docx_not_zip(scale: float) -> bytes:
    return b"PK\x03\x04" + os.urandom(2000)


# ---- text ----------------------------------------------------------------------------------------------------------
_SENTENCE = ("Thực hiện Kế hoạch số 12/KH-UBND ngày 05/01/2025 của Ủy ban nhân dân tỉnh, tỷ lệ hồ sơ giải quyết "
             "đúng hạn đạt 98,5%, tăng 2,1% so với cùng kỳ.\n")


def _utf8_doc(size: int) -> bytes:
    return ("ỦY BAN NHÂN DÂN\nTỈNH SÔNG MÂY\nSố: 12/BC-UBND\nSông Mây, ngày 05 tháng 01 năm 2025\nBÁO CÁO\n"
            + _SENTENCE * max(1, size // len(_SENTENCE.encode()))).encode("utf-8")


def txt_percent_line(scale: float) -> bytes:
    """Percentages on one line with no sentence end: a backward search per match would be quadratic."""
    return ("50% " * max(1000, int(250_000 * scale))).encode()


def txt_long_line(scale: float) -> bytes:
    """One huge line of an ordinary sentence (no newline at all)."""
    return (_SENTENCE.strip() + " ") .encode() * max(100, int(30_000 * scale))


def txt_numbers_line(scale: float) -> bytes:
    return ("6.2/1 158.55/200 1.234,5 " * max(100, int(40_000 * scale))).encode()


def txt_one_bad_byte(scale: float) -> bytes:
    data = bytearray(_utf8_doc(int(50_000 * scale) + 2000))
    data[len(data) // 2] = 0xFF
    return bytes(data)


def txt_cut_mid_char(scale: float) -> bytes:
    data = _utf8_doc(int(50_000 * scale) + 2000)
    return data[:-1] if (data[-1] & 0xC0) == 0x80 else data + "Ủ".encode()[:2]


def txt_random_binary(scale: float) -> bytes:
    rnd = random.Random(12)
    return bytes(rnd.randrange(256) for _ in range(max(2000, int(200_000 * scale))))


def txt_vni_like(scale: float) -> bytes:
    """VNI-style text: Latin letters followed by the 8-bit accent bytes VNI uses (read as cp1252)."""
    line = "UÛY BAN NHAÂN DAÂN TÆNH SOÂNG MAÂY Soá: 12/BC-UBND ngaøy 05 thaùng 01 naêm 2025\n"
    return line.encode("cp1252") * max(20, int(2000 * scale))


def txt_tcvn3_like(scale: float) -> bytes:
    """Bytes in TCVN3's range (0xA1-0xFE) between ASCII words, as a legacy file would have them."""
    rnd = random.Random(3)
    words = [bytes([rnd.randrange(0xA1, 0xFF)]) + b"ng" for _ in range(50)]
    words += ["Sè: 12/Q§-UBND".encode("latin-1"), "ngµy".encode("latin-1")]
    return b" ".join(rnd.choice(words) for _ in range(max(200, int(50_000 * scale))))


def txt_nul_heavy(scale: float) -> bytes:
    return b"\x00" * max(1000, int(500_000 * scale))


# ---- PDF -----------------------------------------------------------------------------------------------------------
def pdf_many_boxes(scale: float) -> bytes:
    """One page covered with thousands of short, scattered text fragments (pdfminer's box grouping)."""
    from fpdf import FPDF

    rnd = random.Random(5)
    pdf = FPDF(unit="pt", format=(2000, 2000))
    pdf.add_page()
    pdf.set_font("Helvetica", size=4)
    for _ in range(max(100, int(4000 * scale))):
        pdf.text(rnd.uniform(10, 1990), rnd.uniform(10, 1990), rnd.choice(["12", "ab", "5%", "x/y", "QD"]))
    return bytes(pdf.output())


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of these objects (numbered from 1, the first the catalog), with a correct xref table."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def pdf_stream_bomb(scale: float) -> bytes:
    """A page whose content stream is a few hundred KB compressed and hundreds of MB of text operators unpacked."""
    import zlib

    op = b"BT /F1 12 Tf 72 712 Td (Ty le dat 50%) Tj ET\n"
    comp = zlib.compressobj(9)
    data = b"".join(comp.compress(op * 100_000) for _ in range(max(1, int(60 * scale)))) + comp.flush()
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                 b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                 b"/Resources << /Font << /F1 5 0 R >> >> >>",
                 f"<< /Length {len(data)} /Filter /FlateDecode >>\nstream\n".encode() + data + b"\nendstream",
                 b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"])


def docx_many_members(scale: float) -> bytes:
    """Tens of thousands of tiny archive members beside a normal document."""
    buf = io.BytesIO(docx_bytes([_header_paras()]))
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as z:
        for k in range(max(100, int(40_000 * scale))):
            z.writestr(f"word/media/x{k}.xml", "<a/>")
    return buf.getvalue()


# ---- the cases -----------------------------------------------------------------------------------------------------
def _utf8_kept(res: dict) -> str | None:
    """A UTF-8 file with a damaged byte stays UTF-8: its header is read, no legacy conversion is claimed."""
    wrong = {"encoding.legacy_tcvn3", "header.not_found"} & set(res.get("notices", []))
    return f"read wrong: {sorted(wrong)}" if res["outcome"] == "parsed" and wrong else None


def _not_tcvn3(res: dict) -> str | None:
    """VNI text or binary bytes are not TCVN3: converting them as TCVN3 garbles the text quietly."""
    return "taken for TCVN3" if "encoding.legacy_tcvn3" in res.get("notices", []) else None


@dataclass
class Case:
    name: str
    suffix: str
    make: Callable[[float], bytes] | None = None
    special: str | None = None  # "fifo" | "devzero": made on disk, not from bytes
    expect: Callable[[dict], str | None] | None = None  # what the result must also say (None: fine)
    needs: str | None = None  # a module the generator imports (the test extra's fpdf2)


CASES = [
    Case("docx_bomb", ".docx", docx_bomb),
    Case("docx_element_bomb", ".docx", docx_element_bomb),
    Case("docx_huge_gridspan", ".docx", docx_huge_gridspan),
    Case("docx_deep_tables", ".docx", docx_deep_tables),
    Case("docx_no_body", ".docx", docx_no_body),
    Case("docx_not_zip", ".docx", docx_not_zip),
    Case("docx_many_members", ".docx", docx_many_members),
    Case("txt_percent_line", ".txt", txt_percent_line),
    Case("txt_long_line", ".txt", txt_long_line),
    Case("txt_numbers_line", ".txt", txt_numbers_line),
    Case("txt_one_bad_byte", ".txt", txt_one_bad_byte, expect=_utf8_kept),
    Case("txt_cut_mid_char", ".txt", txt_cut_mid_char, expect=_utf8_kept),
    Case("txt_random_binary", ".txt", txt_random_binary, expect=_not_tcvn3),
    Case("txt_vni_like", ".txt", txt_vni_like, expect=_not_tcvn3),
    Case("txt_tcvn3_like", ".txt", txt_tcvn3_like),
    Case("txt_nul_heavy", ".txt", txt_nul_heavy),
    Case("pdf_many_boxes", ".pdf", pdf_many_boxes, needs="fpdf"),
    Case("pdf_stream_bomb", ".pdf", pdf_stream_bomb),
    Case("fifo", ".txt", special="fifo"),
    Case("devzero_link", ".txt", special="devzero"),
]

_CHILD = r"""
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, ({cap}, {cap}))
sys.path.insert(0, {root!r})
import docparse
from docparse.errors import DocparseError
t0, c0 = time.perf_counter(), time.process_time()
out = {{}}
try:
    doc = docparse.parse(sys.argv[1])
    docparse.check(doc)
    out.update(outcome="parsed", notices=sorted({{n.code for n in doc.notices}}), chars=len(doc.text))
except DocparseError as e:
    out.update(outcome="typed_error", error=type(e).__name__, message=e.reason[:200])
except BaseException as e:
    out.update(outcome="crash", error=type(e).__name__, message=str(e)[:200])
out["seconds"] = round(time.process_time() - c0, 3)  # CPU time: the verdict must not depend on the machine's load
out["wall_seconds"] = round(time.perf_counter() - t0, 3)
try:  # VmHWM: this process's own high-water mark; ru_maxrss also counts the parent's RSS at fork (Linux keeps it
    #   across exec), so a child of a large pytest process would report the parent's size
    with open("/proc/self/status") as f:
        out["peak_mb"] = round(next(int(l.split()[1]) for l in f if l.startswith("VmHWM:")) / 1024, 1)
except (OSError, StopIteration):
    out["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
print(json.dumps(out))
"""


def make_file(case: Case, folder: Path, scale: float) -> Path:
    path = folder / f"{case.name}{case.suffix}"
    if case.special == "fifo":
        os.mkfifo(path)
    elif case.special == "devzero":
        os.symlink("/dev/zero", path)
    else:
        path.write_bytes(case.make(scale))
    return path


def budget_s(size_bytes: int) -> float:
    return max(FLOOR_S, S_PER_MB * size_bytes / 1e6)


def run_case(case: Case, folder: Path, scale: float = 1.0) -> dict:
    """Make the file, parse it in a child; the result says whether it kept the budget (`ok`) and why not."""
    path = make_file(case, folder, scale)
    size = path.stat().st_size if case.special is None else 0
    budget = budget_s(size)
    code = _CHILD.format(cap=CAP_BYTES, root=str(ROOT))
    start = time.monotonic()
    try:
        proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                              timeout=budget * 3 + 20)  # generous: the verdict uses the time measured inside
        lines = proc.stdout.strip().splitlines()
        res = json.loads(lines[-1]) if lines else {"outcome": "crash", "error": f"exit {proc.returncode}",
                                                     "message": proc.stderr[-300:]}
    except subprocess.TimeoutExpired:
        res = {"outcome": "timeout", "seconds": round(time.monotonic() - start, 1)}
    res.update(case=case.name, bytes=size, budget_s=round(budget, 1))
    res["s_per_mb"] = round(res["seconds"] / (size / 1e6), 2) if size and "seconds" in res else None
    why = []
    if res["outcome"] in ("crash", "timeout"):
        why.append(res["outcome"])
    if res.get("seconds", 0) > budget:
        why.append(f"{res['seconds']} s > {budget:.1f} s")
    if res.get("peak_mb", 0) > MAX_MB:
        why.append(f"{res['peak_mb']} MB > {MAX_MB} MB")
    if case.expect and res["outcome"] not in ("crash", "timeout") and (wrong := case.expect(res)):
        why.append(wrong)
    res["ok"], res["why"] = not why, "; ".join(why)
    return res


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0, help="size of the generated files (1.0: bombs of ~400 MB)")
    ap.add_argument("--only", nargs="*", help="case names")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for case in CASES:
            if args.only and case.name not in args.only:
                continue
            res = run_case(case, Path(tmp), args.scale)
            results.append(res)
            print(f"{'ok  ' if res['ok'] else 'FAIL'} {res['case']:20} {res['bytes']:>10} B  {res['outcome']:11} "
                  f"{res.get('error', ''):22} {res.get('seconds', '?')} s  {res.get('peak_mb', '?')} MB"
                  + (f"  -- {res['why']}" if res["why"] else ""), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
