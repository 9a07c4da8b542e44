package cn.yekuo.hub.cases;

import java.time.OffsetDateTime;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Idempotent Receiver: a message id is recorded in the same transaction as its effects, so a redelivered
 * or re-sent message is recognised and has no further effect.
 */
@Repository
public class ProcessedMessages {

    private final JdbcTemplate jdbc;

    public ProcessedMessages(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
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
