"""The demo world as data: fictional outlets, their articles and what a crawl should find.

Every outlet lives in its own folder next to this module (``outlet.toml``, two
``string.Template`` files, ``robots.txt`` and one TOML file per article).
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from crawlers.sources import Source

NOTICE = (
    "Fiktives Demo-Medium des Projekts weckruf – "
    "alle Firmen, Personen und Zahlen sind erfunden"
)
CATEGORIES = frozenset({"ai_job_cut", "optimistic", "neutral", "job_cut_no_ai", "unrelated"})

_ROOT = Path(__file__).parent
_FRAGMENTS = ("nav_item", "listing", "teaser", "info", "related_item", "comment")


@dataclass(frozen=True)
class Comment:
    """A reader comment: kept apart from the article so extraction can be tested on it."""

    author: str
    posted: datetime
    text: str


@dataclass(frozen=True)
class DemoArticle:
    """One demo article page (not crawlers.extract.Article); ``category``/``employer``/``jobs`` are ground truth for tests only."""

    stem: str
    path: str
    title: str
    lead: str
    authors: tuple[str, ...]
    published: datetime
    section: str
    body: tuple[str, ...]
    caption: str
    related: tuple[str, ...]
    comments: tuple[Comment, ...]
    category: str
    employer: str | None
    jobs: int | None


@dataclass(frozen=True)
class NavItem:
    """A navigation entry; with a ``section`` it is also a listing page of that section."""

    label: str
    path: str
    section: str | None


@dataclass(frozen=True)
class InfoPage:
    """A static page such as the imprint, linked from every footer."""

    path: str
    title: str
    text: str


@dataclass(frozen=True)
class Outlet:
    """A fictional outlet: its configuration, templates and articles.

    ``internal`` holds pages that exist and are listed in the feed but sit below a path
    the outlet's robots.txt disallows, so a polite crawler must never fetch them.
    """

    slug: str
    name: str
    domain: str
    description: str
    feed_kind: str
    feed_path: str
    title_suffix: str
    image_prefix: str
    accent: str
    json_ld: bool
    nav: tuple[NavItem, ...]
    info_pages: tuple[InfoPage, ...]
    fragments: Mapping[str, string.Template]
    page: string.Template
    article_page: string.Template
    robots: str
    articles: tuple[DemoArticle, ...]
    internal: tuple[DemoArticle, ...]

    @property
    def base_url(self) -> str:
        """Origin of the outlet; plain http because the demo proxy does not speak TLS."""
        return f"http://{self.domain}"

    @property
    def registrable_domain(self) -> str:
        """The domain without ``www.``, as Scrapy's ``allowed_domains`` expects it."""
        return self.domain.removeprefix("www.")

    def url(self, path: str) -> str:
        """Absolute URL of a path on this outlet."""
        return self.base_url + path

    def image_path(self, article: DemoArticle) -> str:
        """Path of the article's (generated) picture."""
        return f"{self.image_prefix}{article.stem}.svg"




def _read_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def _article(path: Path) -> DemoArticle:
    data = _read_toml(path)
    return DemoArticle(
        stem=path.stem,
        path=data["path"],
        title=data["title"],
        lead=data["lead"],
        authors=tuple(data["authors"]),
        published=data["published"],
        section=data["section"],
        body=tuple(data["body"]),
        caption=data["caption"],
        related=tuple(data.get("related", ())),
        comments=tuple(Comment(**c) for c in data.get("comments", ())),
        category=data["category"],
        employer=data.get("employer"),
        jobs=data.get("jobs"),
    )


def _articles(folder: Path) -> tuple[DemoArticle, ...]:
    """Articles of a folder, newest first (the order feeds and homepages use)."""
    found = (_article(p) for p in folder.glob("*.toml")) if folder.is_dir() else ()
    return tuple(sorted(found, key=lambda a: a.published, reverse=True))


def _outlet(folder: Path) -> Outlet:
    config = _read_toml(folder / "outlet.toml")
    return Outlet(
        slug=folder.name,
        name=config["name"],
        domain=config["domain"],
        description=config["description"],
        feed_kind=config["feed_kind"],
        feed_path=config["feed_path"],
        title_suffix=config["title_suffix"],
        image_prefix=config["image_prefix"],
        accent=config["accent"],
        json_ld=config.get("json_ld", False),
        nav=tuple(NavItem(n["label"], n["path"], n.get("section")) for n in config["nav"]),
        info_pages=tuple(InfoPage(**p) for p in config["info_pages"]),
        fragments=MappingProxyType(
            {name: string.Template(config["fragments"][name]) for name in _FRAGMENTS}
        ),
        page=string.Template((folder / "page.html").read_text(encoding="utf-8")),
        article_page=string.Template((folder / "article.html").read_text(encoding="utf-8")),
        robots=(folder / "robots.txt").read_text(encoding="utf-8"),
        articles=_articles(folder / "articles"),
        internal=_articles(folder / "intern"),
    )


def load_outlets(root: Path = _ROOT) -> tuple[Outlet, ...]:
    """Read every outlet folder (one with an ``outlet.toml``) below ``root``."""
    return tuple(_outlet(p.parent) for p in sorted(root.glob("*/outlet.toml")))


OUTLETS: tuple[Outlet, ...] = load_outlets()
BY_HOST: Mapping[str, Outlet] = MappingProxyType({o.domain: o for o in OUTLETS})


def sources() -> list[Source]:
    """The demo outlets as crawl sources: feed, news sitemap and domain of each."""
    return [
        Source(
            name=outlet.slug, title=outlet.name, homepage=outlet.url("/"),
            feeds=(outlet.url(outlet.feed_path),), sitemaps=(outlet.url("/sitemap.xml"),),
            allowed_domains=(outlet.registrable_domain,),
        )
        for outlet in OUTLETS
    ]


def expected_articles() -> list[dict[str, Any]]:
    """Ground truth per public article, for pipeline tests: what a crawl should find."""
    return [
        {
            "source": outlet.slug,
            "url": outlet.url(article.path),
            "title": article.title,
            "published": article.published.isoformat(),
            "category": article.category,
            "employer": article.employer,
            "jobs": article.jobs,
        }
        for outlet in OUTLETS
        for article in outlet.articles
    ]


def blocked_feed_urls() -> list[str]:
    """Feed links below a robots-disallowed path: a crawl must never fetch these."""
    return [outlet.url(a.path) for outlet in OUTLETS for a in outlet.internal]
