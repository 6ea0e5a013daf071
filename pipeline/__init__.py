"""newspipe: clean, analysable datasets from scraped Korean broadcast-news texts."""

__version__ = "0.1.0"
