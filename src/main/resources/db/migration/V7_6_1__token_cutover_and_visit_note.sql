-- Issue 15 (hand-off tokens grew from 6 to 12 hex digits). Portable SQL: H2 2.x and PostgreSQL 13+.

-- The one moment the hub moved to 12-hex tokens, recorded once as the last task and return-visit plan that existed
-- then: a 6-hex token is accepted only for a task or plan up to these ids, whose hand-off or plan carried one. Ids,
-- not times, because they never go back (a clock may). A new install records 0 and 0: no 6-hex token at all.
create table token_cutover (
    id           integer      not null primary key,
    last_task_id bigint       not null,
    last_plan_id bigint       not null,
    cut_over_at  timestamp with time zone not null,
    constraint ck_token_cutover_one_row check (id = 1)
);
insert into token_cutover (id, last_task_id, last_plan_id, cut_over_at)
select 1, coalesce((select max(id) from case_task), 0), coalesce((select max(id) from return_visit_plan), 0),
       current_timestamp;

-- A station's return-visit note is kept whole (bounded like a reply's NOTE, docs/contract.md §2.3), never cut.
alter table return_visit_case alter column note set data type text;
