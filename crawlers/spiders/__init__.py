"""Scrapy spiders (one per crawl strategy)."""
