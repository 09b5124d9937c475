-- Priority: due jobs go out highest first (0-9, default 5), then oldest first.
ALTER TABLE jobs ADD COLUMN priority INT NOT NULL DEFAULT 5;
