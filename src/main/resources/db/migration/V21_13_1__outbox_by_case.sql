-- A case's entries of a channel: its document requests (rounds, order of issue) and the mails that wait for them.
create index ix_outbox_case_channel on outbox (case_id, channel, id);
