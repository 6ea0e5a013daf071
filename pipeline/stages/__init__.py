"""The five stages, one module each: ingest, detect, tokenize, strip, export."""
