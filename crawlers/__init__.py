"""weckruf crawlers package."""
