-- Issue 20 item 2: the archive's hash chain (documents/DocumentChain, docs/contract.md §3 "Archive integrity").
-- Each case's documents are chained in the order archived: chain_seq is the position in the case (1, 2, …) and
-- chain_sha256 = SHA-256(previous chain_sha256 | the row's data | the file's SHA-256). case_document_chain keeps each
-- case's head, so that removing the last documents is detected too. Existing rows are chained by V21_6_2 (Java,
-- the same code as the hub). Portable SQL: runs on H2 2.x and PostgreSQL 13+.
alter table case_document add column chain_seq integer;
alter table case_document add column chain_sha256 varchar(64);

create table case_document_chain (
    case_id       bigint       not null primary key references yk_case (id),
    head_sha256   varchar(64)  not null,
    documents     integer      not null
);
