-- Intake documents (CONTACT_CARD, MATERIALS_NOTICE) are issued after the transition commits: the transition
-- writes an outbox row of channel "document" and the document-issuer route renders, archives and mails it in a
-- transaction of its own. Its job lock makes a second hub node wait instead of issuing the same request twice.
-- Portable SQL: H2 2.x and PostgreSQL 13+.
insert into job_lock (name) values ('outbox-document');
