import pytest

from crawlers.urls import canonicalize, host_allowed, same_site


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://WWW.Heise.DE/news/a-1.html?utm_source=rss&utm_medium=feed", "https://www.heise.de/news/a-1.html"),
        ("https://t3n.de/news/x/?fbclid=abc#comments", "https://t3n.de/news/x"),
        ("https://golem.de:443/a.html?b=2&a=1&wt_mc=rss", "https://golem.de/a.html?a=1&b=2"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080/"),
    ],
)
def test_canonicalize(url: str, canonical: str) -> None:
    assert canonicalize(url) == canonical


def test_same_site_and_allowed_domains() -> None:
    assert same_site("https://www.heise.de/a", "https://heise.de/b")
    assert not same_site("https://www.heise.de/a", "https://evil.example/b")
    assert host_allowed("https://www.heise.de/x", ["heise.de"])
    assert not host_allowed("https://heise.de.evil.example/x", ["heise.de"])
