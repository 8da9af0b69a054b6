-- 003: operations. What `weckruf runs` shows; an alert outbox for every kind of message
-- (job cuts, update digests, source health) with per-channel delivery, so a retry never
-- repeats a message to a channel that already has it; and the analyst views behind
-- `weckruf trends`, `export`, the cookbook and the report. Days are German calendar days
-- (Europe/Berlin): an article published at 00:30 in Berlin belongs to that day.

ALTER TABLE runs ADD COLUMN model VARCHAR;     -- model id@version that analysed this run's articles

CREATE TABLE run_sources (
    run_id          VARCHAR NOT NULL,
    source          VARCHAR NOT NULL,
    articles        INTEGER NOT NULL,              -- article pages fetched and extracted
    errors          INTEGER NOT NULL,
    skipped         INTEGER NOT NULL,              -- links left out (known, off-topic, over the cap)
    PRIMARY KEY (run_id, source)
);

-- The outbox: one row per message ever queued. Job-cut alerts are keyed by their event and
-- rendered at delivery (so they name every outlet known by then); the others are rendered
-- when queued. status: pending | sent | printed (no channel configured) | failed (gave up
-- after [alerts] max_attempts) | skipped (an event the rules do not alert; see reason).
ALTER TABLE alerts RENAME COLUMN event_key TO alert_key;
ALTER TABLE alerts ADD COLUMN kind VARCHAR NOT NULL DEFAULT 'job_cut';  -- job_cut | digest | source_down | source_recovered
ALTER TABLE alerts ADD COLUMN subject VARCHAR;   -- the source of a health message
ALTER TABLE alerts ADD COLUMN title VARCHAR;     -- pre-rendered message (not job_cut)
ALTER TABLE alerts ADD COLUMN body VARCHAR;
ALTER TABLE alerts ADD COLUMN reason VARCHAR;    -- why a job-cut event is skipped

CREATE TABLE alert_deliveries (
    alert_key       VARCHAR NOT NULL,
    channel         VARCHAR NOT NULL,              -- sha256 of the Apprise URL, first 12 hex digits (never the URL)
    delivered_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (alert_key, channel)
);

-- Later reports of an event that was already alerted: a new outlet, another article, a
-- different number. They go into the opt-in digest, never into a second alert.
CREATE TABLE event_updates (
    event_key       VARCHAR NOT NULL,
    article_id      VARCHAR NOT NULL,
    source          VARCHAR NOT NULL,
    jobs_reported   BIGINT,
    noted_at        TIMESTAMPTZ NOT NULL,
    digest_key      VARCHAR,                       -- the digest that carried it (NULL: not yet sent)
    PRIMARY KEY (event_key, article_id)
);

-- The German calendar day of a time: one definition for every view.
CREATE MACRO german_day(ts) AS CAST(timezone('Europe/Berlin', ts) AS DATE);

-- Every statement with its article, source and model: the one table most questions start from.
CREATE VIEW statement_details AS
SELECT
    s.article_id, s.sentence_no, s.text, s.topic, s.stance, s.stance_score, s.job_cut,
    s.employer, s.jobs_affected, s.ai_cause, s.model,
    a.source, coalesce(src.title, a.source) AS source_title,
    a.title AS article_title, a.canonical_url, a.published, a.fetched_at,
    german_day(coalesce(a.published, a.fetched_at)) AS day,
    CAST(date_trunc('month', german_day(coalesce(a.published, a.fetched_at))) AS DATE) AS month
FROM statements s
JOIN articles a USING (article_id)
LEFT JOIN sources src ON src.name = a.source;

-- Every analysed article with its day and its statements counted: what the trends add up.
-- Statements are counted per article first (one pass over statements, no join per row),
-- which keeps the weekly trend over a million statements within a few tens of ms.
CREATE VIEW article_days AS
WITH counted AS (
    SELECT article_id,
           count(*) FILTER (WHERE topic = 'ai_jobs') AS ai_jobs_statements,
           count(stance) AS stance_statements,
           count(*) FILTER (WHERE stance = 'negative') AS negative,
           count(*) FILTER (WHERE stance = 'neutral') AS neutral,
           count(*) FILTER (WHERE stance = 'positive') AS positive
    FROM statements GROUP BY article_id
)
SELECT
    a.article_id, a.source, german_day(coalesce(a.published, a.fetched_at)) AS day,
    coalesce(c.ai_jobs_statements, 0) > 0 AS about_ai_jobs,
    coalesce(c.ai_jobs_statements, 0) AS ai_jobs_statements, coalesce(c.stance_statements, 0) AS stance_statements,
    coalesce(c.negative, 0) AS negative, coalesce(c.neutral, 0) AS neutral, coalesce(c.positive, 0) AS positive
FROM articles a LEFT JOIN counted c USING (article_id)
WHERE a.analyzed_by IS NOT NULL;

-- Trend per period and source, plus one '(all)' row per period over every source. Stance is
-- counted over the statements that carry one (topic ai_jobs or jobs); shares are of those,
-- and *_per_article divide by every analysed article of the period, so a week with more
-- articles does not look more negative only because more was written.
CREATE MACRO trend(grain) AS TABLE
WITH per_source AS (
    SELECT CAST(date_trunc(grain, day) AS DATE) AS period, source,
           count(*) AS articles, count(*) FILTER (WHERE about_ai_jobs) AS ai_jobs_articles,
           sum(ai_jobs_statements) AS ai_jobs_statements, sum(stance_statements) AS stance_statements,
           sum(negative) AS negative, sum(neutral) AS neutral, sum(positive) AS positive
    FROM article_days GROUP BY ALL
),
both_levels AS (
    SELECT * FROM per_source
    UNION ALL
    SELECT period, '(all)', sum(articles), sum(ai_jobs_articles), sum(ai_jobs_statements),
           sum(stance_statements), sum(negative), sum(neutral), sum(positive)
    FROM per_source GROUP BY period
)
SELECT
    period, source, CAST(articles AS BIGINT) AS articles, CAST(ai_jobs_articles AS BIGINT) AS ai_jobs_articles,
    round(ai_jobs_articles / articles, 3) AS ai_jobs_share,
    CAST(ai_jobs_statements AS BIGINT) AS ai_jobs_statements, CAST(stance_statements AS BIGINT) AS stance_statements,
    CAST(negative AS BIGINT) AS negative, CAST(neutral AS BIGINT) AS neutral, CAST(positive AS BIGINT) AS positive,
    round(negative / nullif(stance_statements, 0), 3) AS negative_share,
    round(neutral / nullif(stance_statements, 0), 3) AS neutral_share,
    round(positive / nullif(stance_statements, 0), 3) AS positive_share,
    round(negative / articles, 3) AS negative_per_article,
    round(positive / articles, 3) AS positive_per_article
FROM both_levels
ORDER BY period, source = '(all)' DESC, source;

CREATE VIEW trend_daily AS FROM trend('day');
CREATE VIEW trend_weekly AS FROM trend('week');     -- ISO weeks: period is the Monday
CREATE VIEW trend_monthly AS FROM trend('month');

-- Job-cut events on a time line: when, how many jobs, how many outlets, alert state.
CREATE VIEW event_timeline AS
SELECT
    e.event_key, e.employer, e.jobs_affected, e.ai_cause,
    german_day(e.first_seen) AS day,
    CAST(date_trunc('week', german_day(e.first_seen)) AS DATE) AS week,
    CAST(date_trunc('month', german_day(e.first_seen)) AS DATE) AS month,
    e.first_seen, e.last_seen, e.headline, e.statement, e.first_url,
    count(DISTINCT ea.source) AS outlets, count(ea.article_id) AS articles,
    list(DISTINCT ea.source ORDER BY ea.source) AS sources,
    coalesce(al.status, 'none') AS alert_status
FROM job_cut_events e
LEFT JOIN event_articles ea USING (event_key)
LEFT JOIN alerts al ON al.alert_key = e.event_key
GROUP BY ALL;

-- Employers as the statements name them, most named first.
CREATE VIEW employer_mentions AS
SELECT
    employer, count(*) AS statements, count(DISTINCT article_id) AS articles,
    count(DISTINCT source) AS outlets,
    count(*) FILTER (WHERE job_cut) AS job_cut_statements,
    max(jobs_affected) FILTER (WHERE job_cut) AS most_jobs_named,
    min(day) AS first_day, max(day) AS last_day
FROM statement_details
WHERE employer IS NOT NULL
GROUP BY employer
ORDER BY statements DESC, employer;
