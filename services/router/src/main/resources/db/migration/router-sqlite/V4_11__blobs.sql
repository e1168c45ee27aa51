-- Attachments' blobs (docs/conversations.md, "Attachments"): the bytes are in the blob store
-- (files or an S3 bucket, im.router.media.store); a row says which conversation a blob was uploaded
-- to and by whom, so that only the conversation's members download it. A thumbnail is a blob of its
-- own with a row of its own. Named media_blob: BLOB is a reserved word in MySQL and MariaDB.
CREATE TABLE media_blob (
    id              VARCHAR(128) NOT NULL,
    conversation_id VARCHAR(64)  NOT NULL,
    uploader_id     BIGINT       NOT NULL,
    mime_type       VARCHAR(127) NOT NULL,
    size            BIGINT       NOT NULL,
    created_at      BIGINT       NOT NULL,
    PRIMARY KEY (id)
) WITHOUT ROWID;
CREATE INDEX ix_media_blob_conversation ON media_blob (conversation_id, created_at);
