"""The values `[model] backend` and `[model] precision` accept.

Kept apart from models/stance.py, which imports torch, so that configuration can check a
user's choice at start without loading it.
"""

BACKENDS = ("torch", "onnx")  # the transformers weights (+ probe), or the int8 ONNX export of the head alone
PRECISIONS = ("auto", "fp32", "bf16", "int8")  # torch backend; auto: models.stance.auto_precision
