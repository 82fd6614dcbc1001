"""OCR quality and speed: text-layer PDFs are turned into image-only PDFs (pages rendered at 200 and 300 dpi, clean
and with mild noise and rotation), parsed with OCR, and compared with the parse of the text-layer PDF: references
(type + code + date) and indicator values as F1, and pages per second.

The text-layer PDFs are the samples' PDFs and, with --corpus N, N corpus documents (drawn with a fixed seed) set in a
PDF with fpdf2 (first --pages pages). Figures are given for two sets: "dev", the samples and the first --dev corpus
documents of the draw (the pages the OCR repairs were tuned on), and "held-out", the rest of the draw (never looked
at while tuning). Everything generated goes to --out (a temporary folder), never into the repository.

    python benchmarks/bench_ocr.py [--corpus 30] [--dev 10] [--pages 2] [--out /tmp/ocr_bench]
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import docparse

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")


def corpus_pdf(src: Path, out: Path, pages: int) -> Path:
    """The corpus text set on A4 pages, 13 pt serif, one paragraph per line, at most `pages` pages."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_margins(25, 20, 15)
    pdf.set_auto_page_break(True, 20)
    pdf.add_font("Serif", "", str(FONT))
    pdf.set_font("Serif", size=12)
    pdf.add_page()
    for line in src.read_text(encoding="utf-8").splitlines():
        line = line.replace("**", "").replace("|", " ").strip()
        if pdf.page_no() > pages:
            break
        pdf.multi_cell(0, 6, line or " ", new_x="LMARGIN", new_y="NEXT")
    while pdf.page_no() > pages:  # the last paragraph may have opened one page too many
        pdf.pages.pop(pdf.page_no())
        pdf.page -= 1
    pdf.output(str(out))
    return out


def scan(pdf: Path, out: Path, dpi: int, noisy: bool, seed: int = 7) -> int:
    """An image-only copy of `pdf`: each page rendered at `dpi`, grey; noisy: speckles and a 0.6° tilt."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    rnd = random.Random(seed)
    doc = pdfium.PdfDocument(str(pdf))
    images = []
    for page in doc:
        img = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        if noisy:
            img = img.rotate(rnd.choice((-0.6, 0.6)), resample=Image.BICUBIC, fillcolor=255, expand=False)
            px = img.load()
            w, h = img.size
            for _ in range(w * h // 400):  # 0.25 % of the pixels flipped to a random grey
                px[rnd.randrange(w), rnd.randrange(h)] = rnd.randrange(0, 256)
            img = img.filter(ImageFilter.GaussianBlur(0.5))
        images.append(img)
    images[0].save(out, save_all=True, append_images=images[1:], resolution=dpi)
    return len(images)


def refs(doc) -> Counter:
    return Counter((c.doc_type, c.code, str(c.date)) for c in doc.citations if c.code)


def values(doc) -> Counter:
    return Counter((i.kind, i.value, i.unit) for i in doc.indicators)


def f1(gold: Counter, got: Counter) -> tuple[int, int, int]:
    return sum((gold & got).values()), sum(got.values()), sum(gold.values())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=int, default=30)
    ap.add_argument("--dev", type=int, default=10)
    ap.add_argument("--pages", type=int, default=2)
    ap.add_argument("--out", default="/tmp/ocr_bench")
    ap.add_argument("--variants", default="300-clean,300-noisy,200-clean,200-noisy")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    pdfs = sorted((ROOT / "samples").glob("*.pdf"))
    corpus = sorted(p for d in ("public", "pool") for p in (ROOT.parent / "shared" / "corpus" / d).glob("*")
                    if p.suffix in (".txt", ".md"))
    dev = set(pdfs)
    # random.sample draws the same first documents whatever N: the first --dev are those tuned on before
    for k, p in enumerate(random.Random(18).sample(corpus, min(args.corpus, len(corpus)))):
        pdfs.append(corpus_pdf(p, out / f"{p.stem}.pdf", args.pages))
        if k < args.dev:
            dev.add(pdfs[-1])
    refs_text = {p: docparse.parse(p) for p in pdfs}
    print(f"{len(pdfs)} PDFs; reference: the parse of each text-layer PDF")
    for variant in args.variants.split(","):
        dpi, kind = variant.split("-")
        totals = {s: {"refs": [0, 0, 0], "values": [0, 0, 0]} for s in ("dev", "held-out", "all")}
        pages = 0
        seconds = 0.0
        confidence = []
        repairs = 0
        for p in pdfs:
            scanned = out / f"{p.stem}.{variant}.pdf"
            pages += scan(p, scanned, int(dpi), kind == "noisy")
            t0 = time.perf_counter()
            doc = docparse.parse(scanned)
            seconds += time.perf_counter() - t0
            for name, get in (("refs", refs), ("values", values)):
                for k, v in enumerate(f1(get(refs_text[p]), get(doc))):
                    for s in ("dev" if p in dev else "held-out", "all"):
                        totals[s][name][k] += v
            note = next((n.message for n in doc.notices if n.code == "pdf.ocr"), "")
            confidence.append(note.rsplit(" ", 2)[-2] if note else "-")
            repairs += sum(n.code == "ocr.repair" for n in doc.notices)
        print(f"{variant}: {pages} pages, {pages / seconds:.2f} pages/s, {repairs} repairs", flush=True)
        for s, by_name in totals.items():
            line = [f"  {s:8}"]
            for name, (tp, got, gold) in by_name.items():
                p_, r_ = tp / (got or 1), tp / (gold or 1)
                line.append(f"{name} P {p_:.3f} R {r_:.3f} F1 {2 * p_ * r_ / ((p_ + r_) or 1):.3f} ({tp}/{gold} "
                            f"gold, {got} found)")
            print("; ".join(line), flush=True)


if __name__ == "__main__":
    main()
