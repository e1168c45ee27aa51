-- The avatar a profile shows: a blob the router keeps in the user's media space ("u:<user_id>"),
-- and its thumbnail (null when the image needed none or could not be decoded). Null: no avatar.
ALTER TABLE user_profile ADD COLUMN avatar_blob_id VARCHAR(128) NULL;
ALTER TABLE user_profile ADD COLUMN avatar_thumbnail_blob_id VARCHAR(128) NULL;
