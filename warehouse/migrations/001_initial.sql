-- 001: the first schema. Ids are derived from content (hash of the canonical URL, event key)
-- so that a re-run after a crash writes the same keys and upserts instead of duplicating.

CREATE TABLE sources (
    name            VARCHAR PRIMARY KEY,
    title           VARCHAR,
    homepage        VARCHAR,
    enabled         BOOLEAN NOT NULL DEFAULT TRUE,
    last_run_id     VARCHAR,
    last_crawl_at   TIMESTAMPTZ,
    last_articles   INTEGER,
    last_errors     INTEGER
);

CREATE TABLE runs (
    run_id          VARCHAR PRIMARY KEY,
    kind            VARCHAR NOT NULL,              -- daily | demo | backfill
    started_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ,
    status          VARCHAR NOT NULL,              -- running | ok | partial | failed
    articles_seen   INTEGER DEFAULT 0,
    articles_new    INTEGER DEFAULT 0,
    statements_new  INTEGER DEFAULT 0,
    events_new      INTEGER DEFAULT 0,
    alerts_sent     INTEGER DEFAULT 0,
    errors          INTEGER DEFAULT 0,
    error_details   JSON
);

CREATE TABLE articles (
    article_id      VARCHAR PRIMARY KEY,           -- sha256(canonical_url)[:16]
    canonical_url   VARCHAR NOT NULL,
    url             VARCHAR NOT NULL,
    source          VARCHAR NOT NULL,
    title           VARCHAR,
    lead            VARCHAR,
    text            VARCHAR,
    authors         VARCHAR[],
    published       TIMESTAMPTZ,
    language        VARCHAR,
    paywalled       BOOLEAN,
    content_hash    VARCHAR NOT NULL,
    raw_path        VARCHAR,                       -- gzip of the fetched HTML, for re-extraction
    fetched_at      TIMESTAMPTZ,
    first_run_id    VARCHAR,
    analyzed_by     VARCHAR                        -- model id@version of the last analysis
);

CREATE TABLE statements (
    article_id      VARCHAR NOT NULL,
    sentence_no     INTEGER NOT NULL,
    text            VARCHAR NOT NULL,
    topic           VARCHAR NOT NULL,
    stance          VARCHAR,
    stance_score    DOUBLE,
    job_cut         BOOLEAN NOT NULL,
    employer        VARCHAR,
    jobs_affected   BIGINT,
    ai_cause        BOOLEAN NOT NULL,
    model           VARCHAR NOT NULL,
    PRIMARY KEY (article_id, sentence_no)
);

CREATE TABLE job_cut_events (
    event_key       VARCHAR PRIMARY KEY,           -- normalised employer + first day + jobs
    employer        VARCHAR NOT NULL,
    jobs_affected   BIGINT,
    ai_cause        BOOLEAN NOT NULL,
    first_seen      TIMESTAMPTZ NOT NULL,
    last_seen       TIMESTAMPTZ NOT NULL,
    first_run_id    VARCHAR,
    headline        VARCHAR,
    statement       VARCHAR,
    first_url       VARCHAR
);

CREATE TABLE event_articles (
    event_key       VARCHAR NOT NULL,
    article_id      VARCHAR NOT NULL,
    source          VARCHAR NOT NULL,
    PRIMARY KEY (event_key, article_id)
);

CREATE TABLE alerts (
    event_key       VARCHAR PRIMARY KEY,           -- one alert per event, ever
    status          VARCHAR NOT NULL,              -- pending | sent | printed
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      VARCHAR,
    queued_at       TIMESTAMPTZ NOT NULL,
    sent_at         TIMESTAMPTZ
);
