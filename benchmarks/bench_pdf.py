"""PDF reading speed and engine agreement (issue 17): pages per second of pdfminer.six's own `extract_text`, of
docparse's PDF reader with each engine (pdfminer, pdfium), and of the full `docparse.parse`; the reader's overhead
over extract_text; and how far the pdfium engine agrees with the default one (same text, same lines, same
citations and dates after the parse).

Sets: the samples' PDFs, and with --pdfs DIR every PDF in DIR. --make N first builds N PDFs into --out (never into
the repository) from corpus documents: each set in a DOCX (python-docx: one paragraph per line, tab rows as ruled
tables, a running header, a "Trang N" footer), converted by `libreoffice --headless`.

    python benchmarks/bench_pdf.py [--make 60 --out /tmp/pdf_bench] [--pdfs /tmp/pdf_bench] [--repeat 3] [--json]

CPU time (time.process_time), best of --repeat, one core.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import docparse
from docparse.readers.pdf import read_pdf

_MARKUP = re.compile(r"\*\*|(?<!\w)\*|^#+\s*")


def make_pdfs(corpus: Path, out: Path, n: int) -> None:
    """N corpus documents (seeds and public first, then every k-th of the pool) as DOCX, then PDF."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    files = sorted((corpus / "seeds").glob("*.txt")) + sorted((corpus / "public").glob("*.txt"))
    pool = sorted((corpus / "pool").glob("*.md"))
    if len(files) < n and pool:
        files += pool[::max(1, len(pool) // (n - len(files)))]
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for f in files[:n]:
        lines = [_MARKUP.sub("", ln).rstrip() for ln in f.read_text(encoding="utf-8", errors="replace").splitlines()]
        lines = [ln for ln in lines if ln.strip() != "|"]
        d = Document()
        d.styles["Normal"].font.name, d.styles["Normal"].font.size = "Times New Roman", Pt(13)
        section = d.sections[0]
        section.header.paragraphs[0].text = "Cổng văn bản điện tử thử nghiệm — bản in"
        footer = section.footer.paragraphs[0]
        footer.add_run("Trang ")
        field, run, text = OxmlElement("w:fldSimple"), OxmlElement("w:r"), OxmlElement("w:t")
        field.set(qn("w:instr"), "PAGE")
        text.text = "1"
        run.append(text)
        field.append(run)
        footer._p.append(field)
        i = 0
        while i < len(lines):
            j = i
            while j < len(lines) and "\t" in lines[j]:
                j += 1
            if j > i:
                rows = [ln.split("\t") for ln in lines[i:j]]
                table = d.add_table(rows=len(rows), cols=max(map(len, rows)))
                table.style = "Table Grid"
                for r, row in enumerate(rows):
                    for c, cell in enumerate(row):
                        table.cell(r, c).text = cell
                i = j
                continue
            d.add_paragraph(lines[i])
            i += 1
        path = out / f"{f.stem[:40]}.docx"
        d.save(path)
        made.append(str(path))
    subprocess.run(["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), *made],
                   check=True, capture_output=True, timeout=1800)
    for p in made:
        Path(p).unlink()


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def measure(files: list[Path], repeat: int, pdfium: bool) -> dict:
    from pdfminer.high_level import extract_text

    if pdfium:
        from docparse.readers.pdf_pdfium import read_pdf_pdfium
    sums = dict.fromkeys(["extract_text", "reader", "reader_pdfium", "parse", "parse_pdfium"], 0.0)
    pages = 0
    agree = dict.fromkeys(["text", "lines", "citations", "dates", "tasks"], 0)
    for f in files:
        data = f.read_bytes()
        src = read_pdf(data, str(f))
        pages += len(src.pages)
        sums["extract_text"] += best(lambda f=f: extract_text(str(f)), repeat)
        sums["reader"] += best(lambda d=data, f=f: read_pdf(d, str(f)), repeat)
        sums["parse"] += best(lambda f=f: docparse.parse(f), repeat)
        if not pdfium:
            continue
        sums["reader_pdfium"] += best(lambda d=data, f=f: read_pdf_pdfium(d, str(f)), repeat)
        sums["parse_pdfium"] += best(lambda f=f: docparse.parse(f, pdf_engine="pdfium"), repeat)
        fast = read_pdf_pdfium(data, str(f))
        agree["text"] += src.text == fast.text
        agree["lines"] += [[ln.text for ln in p.lines] for p in src.pages] == \
            [[ln.text for ln in p.lines] for p in fast.pages]
        a, b = docparse.parse(f), docparse.parse(f, pdf_engine="pdfium")
        agree["citations"] += [(c.code, c.name, c.date) for c in a.citations] == \
            [(c.code, c.name, c.date) for c in b.citations]
        agree["dates"] += [(d.kind, d.start, d.end) for d in a.dates] == [(d.kind, d.start, d.end) for d in b.dates]
        agree["tasks"] += [t.model_dump(exclude={"span"}) for t in a.tasks] == \
            [t.model_dump(exclude={"span"}) for t in b.tasks]
    out = {"documents": len(files), "pages": pages,
           "pages_per_s": {k: round(pages / v, 1) for k, v in sums.items() if v},
           "reader_overhead_over_extract_text": round(sums["reader"] / sums["extract_text"] - 1, 3)}
    if pdfium:
        out["pdfium_speedup_over_reader"] = round(sums["reader"] / sums["reader_pdfium"], 2)
        out["pdfium_agrees_with_pdfminer"] = {k: f"{v}/{len(files)}" for k, v in agree.items()}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pdfs", type=Path, help="a folder of PDFs to measure besides the samples")
    ap.add_argument("--make", type=int, default=0, help="first build this many PDFs from the corpus into --out")
    ap.add_argument("--out", type=Path, default=Path("/tmp/docparse_pdf_bench"))
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    try:
        import pypdfium2  # noqa: F401
        pdfium = True
    except ImportError:
        pdfium = False
    if args.make:
        make_pdfs(args.corpus, args.out, args.make)
        args.pdfs = args.pdfs or args.out
    sets = {"samples": sorted((ROOT / "samples").rglob("*.pdf"))}
    for engine in ("pdfminer", "pdfium") if pdfium else ("pdfminer",):  # lexicons, models: loaded before timing
        docparse.parse(sets["samples"][0], pdf_engine=engine)
    if args.pdfs:
        sets[str(args.pdfs)] = sorted(args.pdfs.glob("*.pdf"))
    results = {name: measure(files, args.repeat, pdfium) for name, files in sets.items() if files}
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return 0
    for name, r in results.items():
        print(f"{name}: {r['documents']} PDFs, {r['pages']} pages")
        for k, v in r["pages_per_s"].items():
            print(f"  {k:14} {v:8.1f} pages/s")
        print(f"  reader overhead over extract_text: {r['reader_overhead_over_extract_text']:+.1%}")
        if pdfium:
            print(f"  pdfium reader {r['pdfium_speedup_over_reader']}x the pdfminer reader; same as pdfminer: "
                  + ", ".join(f"{k} {v}" for k, v in r["pdfium_agrees_with_pdfminer"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
