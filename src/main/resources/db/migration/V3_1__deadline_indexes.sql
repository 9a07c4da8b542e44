-- The deadline watcher asks, for each due clock, which units still owe their answer (CaseTasks.openOnNode):
-- without this index that is a full scan of case_task per due clock.
create index ix_task_node on case_task (node_id, status);
