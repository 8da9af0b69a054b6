"""Reading RSS 2.0, RSS 1.0 (RDF) and Atom feeds, and finding feeds on a homepage.

Feeds come from the open internet, so the XML parser never resolves entities or touches
the network (no billion-laughs, no XXE), and a broken feed raises a clear FeedError.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

import lxml.etree
import lxml.html

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+xml")


class FeedError(ValueError):
    """The feed could not be read; the message says why."""


@dataclass(frozen=True)
class FeedEntry:
    link: str
    title: str | None = None
    published: str | None = None


def safe_xml_parser() -> lxml.etree.XMLParser:
    """An XML parser for untrusted documents: no entities, no DTD loading, no network."""
    return lxml.etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


def _child_text(node: lxml.etree._Element, *names: str) -> str | None:
    for name in names:
        found = node.xpath(f"./*[local-name()='{name}']")
        if found and (found[0].text or "").strip():
            return found[0].text.strip()
    return None


def _entry_link(node: lxml.etree._Element) -> str | None:
    """RSS <link>text</link>, Atom <link rel="alternate" href>, or a permalink <guid>."""
    for link in node.xpath("./*[local-name()='link']"):
        href = link.get("href")
        if href and link.get("rel", "alternate") == "alternate":
            return href.strip()
        if not href and (link.text or "").strip():
            return link.text.strip()
    guid = node.xpath("./*[local-name()='guid']")
    if guid and guid[0].get("isPermaLink", "true") == "true" and (guid[0].text or "").startswith("http"):
        return guid[0].text.strip()
    return None


def parse_feed(body: bytes, base_url: str) -> tuple[list[FeedEntry], list[str]]:
    """Entries of a feed, first occurrence of each link only, plus reasons for skipped items."""
    if not body.strip():
        raise FeedError("empty response where a feed was expected")
    try:
        root = lxml.etree.fromstring(body, parser=safe_xml_parser())
    except lxml.etree.XMLSyntaxError as exc:
        raise FeedError(f"not a valid XML feed: {exc}") from exc
    if root is None or lxml.etree.QName(root).localname not in ("rss", "feed", "RDF"):
        raise FeedError(f"XML but not RSS/Atom (root element {lxml.etree.QName(root).localname!r})")
    entries: list[FeedEntry] = []
    skipped: list[str] = []
    seen: set[str] = set()
    for node in root.xpath("//*[local-name()='item' or local-name()='entry']"):
        link = _entry_link(node)
        title = _child_text(node, "title")
        if not link:
            skipped.append(f"feed item without a link: {title or '(no title)'}")
            continue
        absolute = urljoin(base_url, link)
        if absolute in seen:
            skipped.append(f"duplicate feed item: {absolute}")
            continue
        seen.add(absolute)
        entries.append(FeedEntry(absolute, title, _child_text(node, "pubDate", "published", "updated", "date")))
    return entries, skipped


def discover_feeds(html: str, base_url: str) -> list[str]:
    """Feed URLs announced by ``<link rel="alternate" type="application/rss+xml">`` on a page."""
    try:
        tree = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    links = tree.xpath("//link[contains(concat(' ', normalize-space(@rel), ' '), ' alternate ')]")
    return [urljoin(base_url, link.get("href")) for link in links if link.get("type") in FEED_TYPES and link.get("href")]
