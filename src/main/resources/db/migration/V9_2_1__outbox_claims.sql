-- Outbox relays that several hub nodes run (issue 16): a relay claims rows for a lease in a short transaction
-- (SELECT … FOR UPDATE SKIP LOCKED, then these two columns), commits, and sends holding no database lock; a node
-- that dies leaves its claims to expire, and another node takes them. The job_lock rows of the relays are no longer
-- used (the monthly jobs' 'monthly' still is: it is held for database work only).
alter table outbox add column claimed_by varchar(100);
alter table outbox add column claimed_until timestamp with time zone;
