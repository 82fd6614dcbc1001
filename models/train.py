"""`spacy train` with docparse's tokenizer registered first.

    python models/train.py [OUTPUT_DIR] [--section.key=value ...]   # default output: models/training"""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docparse.ner import register_tokenizer  # noqa: E402
from spacy.cli.train import train  # noqa: E402

args = [a for a in sys.argv[1:] if not a.startswith("--")]
overrides = dict(a[2:].split("=", 1) for a in sys.argv[1:] if a.startswith("--"))
overrides = {k: json.loads(v) if v[:1].isdigit() or v[:1] in "[{" or v in ("true", "false") else v for k, v in overrides.items()}
register_tokenizer()
train(ROOT / "models" / "config.cfg", output_path=Path(args[0]) if args else ROOT / "models" / "training", use_gpu=-1,
      overrides={"paths.train": str(ROOT / "models/corpus/train.spacy"), "paths.dev": str(ROOT / "models/corpus/dev.spacy"),
                 **overrides})
