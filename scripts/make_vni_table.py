"""Regenerate docparse/lexicon/vni.json: the VNI (VNI for Windows, "VNI-Times" fonts) → Unicode table, read from
GNU recode's VNI charset (Debian package `recode`, François Pinard's Vietnamese charset module), so docparse can
convert legacy files without recode at run time.

VNI writes a Vietnamese letter as its base letter followed by one or two bytes for the marks ("ngaøy" for "ngày"),
a few letters as one byte. Every precomposed Vietnamese letter is encoded with recode; the table maps each VNI
sequence (bytes seen as Latin-1 characters) back to its letter."""
import json
import subprocess
import unicodedata
from pathlib import Path


def vietnamese_letters() -> list[str]:
    """The 134 letters of Vietnamese that ASCII lacks: vowels with their marks (upper and lower case), Đ and đ."""
    out = ["Đ", "đ"]
    for cp in range(0xC0, 0x1EFA):
        ch = chr(cp)
        if ch.isalpha() and unicodedata.normalize("NFD", ch)[0].lower() in "aeiouy" and len(ch.encode()) > 1:
            out.append(ch)
    return out


def recode(text: str, request: str = "utf8..VNI") -> bytes | None:
    """recode's answer, or None where it refuses (a letter VNI has no code for)."""
    r = subprocess.run(["recode", request], input=text if isinstance(text, bytes) else text.encode(), capture_output=True,
                       check=False)
    return r.stdout if r.returncode == 0 else None


table = {}
for ch in vietnamese_letters():
    vni = recode(ch)
    back = recode(vni, "VNI..utf8") if vni else None
    if back == ch.encode() and vni != ch.encode():  # letters outside Vietnamese (Ǎ, Ȁ …) do not come back: not VNI's
        table[vni.decode("latin-1")] = ch
out = Path(__file__).resolve().parents[1] / "docparse" / "lexicon" / "vni.json"
out.write_text(json.dumps({"_source": "GNU recode 3.6 (Debian package recode), charset VNI", "sequences": table},
                          ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
print(f"{len(table)} entries → {out}")
