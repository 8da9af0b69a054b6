"""Offline demo world for ``weckruf demo``: fictional German tech-news outlets on 127.0.0.1.

Why this exists: the daily pipeline (Scrapy crawl, trafilatura extraction, sentence
classification, DuckDB, job-cut alerts) needs input that is reproducible, works without
internet access and contains no publisher's text. Every outlet lives in its own folder
next to this module (``outlet.toml``, two ``string.Template`` files, ``robots.txt`` and one
TOML file per article); nothing here is finished HTML, so the pages differ per outlet only
where real sites differ: layout, class names, URL scheme and feed format.

outlets.py reads the outlets and says what a crawl should find (``sources()``,
``expected_articles()``); render.py is the whole site as a pure function, ``render()``;
server.py puts it behind an HTTP forward proxy, ``DemoServer``, so the real crawler can fetch
``http://<outlet>.example/...`` unchanged by pointing ``http_proxy`` at it.
"""

from crawlers.demo_site.outlets import (
    CATEGORIES,
    NOTICE,
    OUTLETS,
    Comment,
    DemoArticle,
    InfoPage,
    NavItem,
    Outlet,
    blocked_feed_urls,
    expected_articles,
    load_outlets,
    sources,
)
from crawlers.demo_site.render import render
from crawlers.demo_site.server import DemoServer

__all__ = [
    "CATEGORIES",
    "NOTICE",
    "OUTLETS",
    "Comment",
    "DemoArticle",
    "DemoServer",
    "InfoPage",
    "NavItem",
    "Outlet",
    "blocked_feed_urls",
    "expected_articles",
    "load_outlets",
    "render",
    "sources",
]
