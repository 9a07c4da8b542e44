-- Issue 17 item 1 (一口对外): the customer representative of a case (an id of yk.representatives), set at intake and
-- changed by the reassign action. Cases opened before have none: the hub treats them as the roster's first
-- representative's (cases/Roster#of), so that a change of the roster needs no migration.
alter table yk_case add column representative_id varchar(64);
create index ix_case_representative on yk_case (representative_id, stage);
