package cn.yekuo.hub.deadletters;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import cn.yekuo.hub.outbox.Outbox;
import cn.yekuo.hub.outbox.OutboxWakeUp;

/**
 * Mails the relay gave up on and document requests the issuer set aside (contract §6.6, §6.7), beside the dead
 * letters: an operator who removed the cause (a mailbox full, a template fixed) has one tried again.
 */
@Service
public class DeadMails {

    public static final String RETRY = "RETRY";
    /** How an outbox entry is named in the audit, beside the JMS ids of dead letters. */
    public static final String REF_PREFIX = "outbox:";

    private static final Logger log = LoggerFactory.getLogger(DeadMails.class);

    private final Outbox outbox;
    private final OutboxWakeUp wakeUp;
    private final DeadLetterLog audit;
    private final Clock clock;

    public DeadMails(Outbox outbox, OutboxWakeUp wakeUp, DeadLetterLog audit, Clock clock) {
        this.outbox = outbox;
        this.wakeUp = wakeUp;
        this.audit = audit;
        this.clock = clock;
    }

    public List<Outbox.DeadEntry> list() {
        return outbox.dead(DeadLetterQueue.MAX_LISTED);
    }

    /** Tries the entry again from its first attempt; empty when it is not (or no longer) given up on. */
    @Transactional
    public Optional<Outbox.DeadEntry> retry(long id, String reason, String user) {
        Optional<Outbox.DeadEntry> entry = outbox.deadEntry(id);
        if (entry.isEmpty() || !outbox.revive(id)) {
            return Optional.empty();
        }
        Outbox.DeadEntry e = entry.get();
        audit.recordOutbox(REF_PREFIX + id, RETRY, user, OffsetDateTime.now(clock), e.channel(), e.messageId(), e.caseNo(),
                reason, "waiting again (was: " + e.lastError() + ")");
        wakeUp.afterCommit(e.channel());
        log.info("Outbox entry {} ({} {}, case {}) tried again by {}", id, e.channel(), e.headers().get("kind"), e.caseNo(), user);
        return entry;
    }

    public List<DeadLetterLog.Entry> history(long id) {
        return audit.ofLetter(REF_PREFIX + id);
    }
}
