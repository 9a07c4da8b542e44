-- Issue 16: the files every hub node must see when yk.files.store=database (customer documents, raw mails, reply
-- attachments, outgoing mail files), by the same relative path the disk store uses under yk.data-dir. Portable SQL:
-- BYTEA is PostgreSQL's byte string and, on H2 2.x, a synonym of BINARY VARYING (up to 1 GB; mails are at most 26 MB).
create table stored_file (
    path        varchar(1000) not null primary key,
    content     bytea         not null,
    size_bytes  bigint        not null,
    sha256      varchar(64)   not null,
    stored_at   timestamp with time zone not null
);
