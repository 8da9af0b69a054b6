import pytest

from crawlers.feeds import FeedError, discover_feeds, parse_feed

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>T</title>
<item><title>Erster</title><link>https://x.example/a1</link><pubDate>Mon, 23 Nov 2026 08:00:00 +0100</pubDate></item>
<item><title>Doppelt</title><link>https://x.example/a1</link></item>
<item><title>Ohne Link</title></item>
<item><title>Relativ</title><link>/a2</link></item>
<item><title>Nur guid</title><guid>https://x.example/a3</guid></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
<entry><title>Eins</title><link rel="alternate" href="https://x.example/e1"/><updated>2026-11-23T08:00:00+01:00</updated></entry>
<entry><title>Zwei</title><link href="https://x.example/e2"/><link rel="enclosure" href="https://x.example/e2.mp3"/></entry>
</feed>"""

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<item rdf:about="https://x.example/r1"><title>R</title><link>https://x.example/r1</link></item></rdf:RDF>"""


def test_rss_items_duplicates_and_missing_links() -> None:
    entries, skipped = parse_feed(RSS, "https://x.example/feed")
    assert [e.link for e in entries] == ["https://x.example/a1", "https://x.example/a2", "https://x.example/a3"]
    assert entries[0].published.startswith("Mon, 23 Nov 2026")
    assert any("without a link" in s for s in skipped) and any("duplicate" in s for s in skipped)


def test_atom_and_rdf() -> None:
    assert [e.link for e in parse_feed(ATOM, "https://x.example/")[0]] == ["https://x.example/e1", "https://x.example/e2"]
    assert [e.link for e in parse_feed(RDF, "https://x.example/")[0]] == ["https://x.example/r1"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty"),
        (b"<html><body>Wartungsarbeiten</body>", "not a valid XML feed"),
        (b"<?xml version='1.0'?><sitemap/>", "not RSS/Atom"),
    ],
)
def test_bad_feeds_raise_a_clear_error(body: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        parse_feed(body, "https://x.example/feed")


def test_entity_expansion_is_not_performed() -> None:
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<rss version="2.0"><channel><item><title>&c;</title><link>https://x.example/a</link></item></channel></rss>"""
    entries, _ = parse_feed(bomb, "https://x.example/feed")
    assert [e.link for e in entries] == ["https://x.example/a"]
    assert "aaaaaaaaaa" not in (entries[0].title or "")


def test_external_entities_are_not_loaded(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("GEHEIM")
    xxe = f"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>
<rss version="2.0"><channel><item><title>&x;</title><link>https://x.example/a</link></item></channel></rss>""".encode()
    entries, _ = parse_feed(xxe, "https://x.example/feed")
    assert "GEHEIM" not in (entries[0].title or "")


def test_autodiscovery() -> None:
    html = """<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml">
    <link rel="alternate" type="text/html" href="/en"><link rel="stylesheet" href="/s.css"></head></html>"""
    assert discover_feeds(html, "https://x.example/") == ["https://x.example/feed.xml"]
