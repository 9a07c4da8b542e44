-- Issue 21 item 1 (one clock): a timeline entry's "at" is when it happened (the business time of billing's event,
-- e.g. paidAt or signedAt, or when the hub did it); recorded_at is when the hub wrote it. Rows written before this
-- column have none and count as recorded when they happened.
alter table case_timeline add column recorded_at timestamp with time zone;
