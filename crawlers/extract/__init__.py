"""Article extraction, by role: article.py (the Article and extract()), meta.py (what the
page declares), title.py (the headline), body.py (lead, body and the furniture around
it, with the phrases in boilerplate.toml), text.py (decoding and line helpers)."""

from crawlers.extract.article import Article, ExtractionError, SiteRules, extract
from crawlers.extract.text import decode_html
from crawlers.extract.title import TITLE_FIELDS

__all__ = ["TITLE_FIELDS", "Article", "ExtractionError", "SiteRules", "decode_html", "extract"]
