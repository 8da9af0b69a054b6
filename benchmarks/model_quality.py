"""Classifier quality on the project's labelled dev and test sets.

Prints, per split: topic macro-F1, stance accuracy and macro-F1 over ai_jobs+jobs sentences
(with a keyword-rule baseline beside it, so the transformer's value shows), job-cut
precision/recall/F1 and jobs_affected exactness on true cuts that state a number; then the
ten most confident stance errors on the test set.
"""

from __future__ import annotations

from flows.config import load_settings
from models.analyze import Analyzer
from models.evaluate import evaluate
from models.stance import StanceModel
from models.labelled import packaged_data, read_jsonl


def main() -> None:
    settings = load_settings()
    stance = StanceModel(settings.model.path)
    analyzer = Analyzer(stance)
    print(f"model {stance.identity}")
    for split in ("dev", "test"):
        result = evaluate(analyzer, stance, read_jsonl(packaged_data(split)))
        errors = result.pop("errors")
        print(f"{split}: " + "  ".join(f"{k}={v}" for k, v in result.items()))
    print("ten most confident stance errors (test):")
    for error in errors[:10]:
        print(f"  gold {error['gold']:<8} predicted {error['predicted']:<8} ({error['score']:.2f})  {error['text']}")


if __name__ == "__main__":
    main()
