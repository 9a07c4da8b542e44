-- A mail that attaches a document still to be issued (a hand-off) awaits its case's earlier document requests; the
-- flag keeps it out of the relays' claims until the issuer, or the mail relay's sweep, finds them issued or set aside.
alter table outbox add column awaits_documents boolean default false not null;
update outbox set awaits_documents = true
    where channel = 'mail' and sent_at is null and dead_at is null and payload like '%"REQUESTED_DOCUMENT"%';
-- Each relay claims its own channel's deliverable rows, not every channel's backlog (ix_outbox_pending).
create index ix_outbox_channel_pending on outbox (channel, awaits_documents, sent_at, id);
