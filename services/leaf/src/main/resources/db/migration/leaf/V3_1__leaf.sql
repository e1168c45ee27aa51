-- One counter per business tag. A leaf node claims ids a whole segment at a time by advancing
-- max_id by step; the segment it owns is (max_id - step, max_id]. Ids of a claimed segment that
-- were never handed out (a crash) are skipped, never reused.
CREATE TABLE leaf_alloc (
    biz_tag    VARCHAR(64) NOT NULL,
    max_id     BIGINT      NOT NULL,
    step       INT         NOT NULL,
    updated_at BIGINT,
    PRIMARY KEY (biz_tag)
);
