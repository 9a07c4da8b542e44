-- The key of the customers' status links when yk.status.secret is not set (embedded default, issue 20): generated
-- once by the first node that needs it, so links in mails already sent stay valid across restarts and nodes.
create table status_secret (
    id         integer      not null primary key,
    secret     varchar(128) not null,
    created_at timestamp with time zone not null
);
