-- The month's deadlines (dashboard, metrics, the monthly assessment) by a range of the index, not a scan of every
-- case's nodes. (Not completed_at: H2 would then read a case's running clock, "completed_at is null", through it.)
create index ix_node_due on case_node (due_at);
