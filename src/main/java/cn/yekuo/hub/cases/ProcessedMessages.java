package cn.yekuo.hub.cases;

import java.time.OffsetDateTime;

import javax.sql.DataSource;

import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Idempotent Receiver: a message id is recorded in the same transaction as its effects, so a redelivered
 * or re-sent message is recognised and has no further effect. The billing routes do it with Camel's
 * {@code idempotentConsumer} on this table ({@link #idempotentRepository}); {@link #contains}/{@link #record} serve
 * the mail replies, which a bean applies or quarantines mail by mail inside one IMAP poll (no route step per reply).
 */
@Repository
public class ProcessedMessages {

    private final JdbcTemplate jdbc;

    public ProcessedMessages(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Camel's JDBC message-id repository of one consumer, on {@code processed_message} (Flyway's table, so ids
     * recorded before stay recognised). Its template joins the route's {@code transacted} transaction (REQUIRED on
     * the same transaction manager and data source): the id commits or rolls back with the case change.
     */
    public static JdbcMessageIdRepository idempotentRepository(DataSource dataSource, PlatformTransactionManager transactions,
                                                               String consumer) {
        JdbcMessageIdRepository repository = new JdbcMessageIdRepository(dataSource, new TransactionTemplate(transactions), consumer);
        repository.setCreateTableIfNotExists(false);
        repository.setTableExistsString("select 1 from processed_message where 1 = 0");
        repository.setQueryString("select count(*) from processed_message where consumer = ? and message_id = ?");
        repository.setInsertString("insert into processed_message (consumer, message_id, processed_at) values (?, ?, ?)");
        repository.setDeleteString("delete from processed_message where consumer = ? and message_id = ?");
        repository.setClearString("delete from processed_message where consumer = ?");
        return repository;
    }

    public boolean contains(String consumer, String messageId) {
        Integer n = jdbc.queryForObject("select count(*) from processed_message where consumer = ? and message_id = ?",
                Integer.class, consumer, messageId);
        return n != null && n > 0;
    }

    /** A concurrent duplicate fails on the primary key and its transaction rolls back, which is what we want. */
    public void record(String consumer, String messageId, OffsetDateTime at) {
        jdbc.update("insert into processed_message (consumer, message_id, processed_at) values (?, ?, ?)", consumer, messageId, at);
    }
}
