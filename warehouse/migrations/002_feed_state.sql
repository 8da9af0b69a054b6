-- 002: conditional GET for feeds. The validators a server sent with a feed (ETag,
-- Last-Modified) are kept per feed URL, so an unchanged feed costs one 304 next run.

CREATE TABLE feed_state (
    feed_url        VARCHAR PRIMARY KEY,
    source          VARCHAR NOT NULL,
    etag            VARCHAR,
    last_modified   VARCHAR,
    checked_at      TIMESTAMPTZ NOT NULL
);
