-- Layout 3 of Redis: every session instance may have an owner (a user id, the subject of
-- the caller's token) and participants (users who appended or joined, each with rights),
-- and a token epoch that revokes the instance's access tokens. The archive keeps them.
-- An archive written before has no owner (NULL), epoch 0 and no participant rows.
ALTER TABLE session_history
    ADD COLUMN owner_id    text,
    ADD COLUMN token_epoch integer NOT NULL DEFAULT 0 CHECK (token_epoch >= 0);

-- The users of each archived instance: its owner (role 'owner', every right) and its
-- participants, one row each, written in the transaction of the archive row. created_at
-- and ended_at are copied from the archive row, so "the sessions of user X, newest first"
-- is one index range scan, keyset-paged by (ended_at, session_id), for owned and
-- participated sessions alike.
CREATE TABLE session_participant (
    session_id  uuid        NOT NULL REFERENCES session_history (session_id) ON DELETE CASCADE,
    user_id     text        NOT NULL CHECK (octet_length(user_id) BETWEEN 1 AND 256),
    role        text        NOT NULL CHECK (role IN ('owner', 'participant')),
    -- A comma-separated subset of read, append and end, in that order.
    rights      text        NOT NULL CHECK (rights IN ('read', 'append', 'end', 'read,append', 'read,end',
                                                       'append,end', 'read,append,end')),
    code        text        NOT NULL,
    created_at  timestamptz NOT NULL,
    ended_at    timestamptz NOT NULL,
    PRIMARY KEY (user_id, session_id)
);

CREATE INDEX session_participant_user_ended_at ON session_participant (user_id, ended_at DESC, session_id);
