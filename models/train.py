"""`spacy train` with docparse's tokenizer registered first (python models/train.py [extra spacy train args])."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docparse.ner import register_tokenizer  # noqa: E402
from spacy.cli.train import train  # noqa: E402

register_tokenizer()
train(ROOT / "models" / "config.cfg", output_path=ROOT / "models" / "training", use_gpu=-1,
      overrides={"paths.train": str(ROOT / "models/corpus/train.spacy"), "paths.dev": str(ROOT / "models/corpus/dev.spacy")})
