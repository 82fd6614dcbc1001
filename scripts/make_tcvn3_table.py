"""Regenerate docparse/lexicon/tcvn3.json: the TCVN3 (TCVN 5712:1993, ".VnTime") byte → Unicode table, read from
glibc's iconv (TCVN5712-1), so docparse can convert legacy files without iconv at run time."""
import json
import subprocess
from pathlib import Path

table = {}
for b in list(range(0x01, 0x20)) + list(range(0x80, 0x100)):
    r = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "utf-8"], input=bytes([b]), capture_output=True, check=True)
    u = r.stdout.decode("utf-8")
    if u != chr(b):
        table[f"{b:02x}"] = u
out = Path(__file__).resolve().parents[1] / "docparse" / "lexicon" / "tcvn3.json"
out.write_text(json.dumps({"_source": "glibc iconv TCVN5712-1", "bytes": table}, ensure_ascii=False, indent=0) + "\n",
               encoding="utf-8")
print(f"{len(table)} entries → {out}")
