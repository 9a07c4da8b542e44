package cn.yekuo.hub.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.h2.Driver;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** When a commit wakes a relay: after commit only, once per transaction and relay, never on rollback. */
class OutboxWakeUpTest {

    final OutboxWakeUp wakeUp = new OutboxWakeUp();
    final List<String> signals = new CopyOnWriteArrayList<>();
    final DataSourceTransactionManager transactions = new DataSourceTransactionManager(
            new SimpleDriverDataSource(new Driver(), "jdbc:h2:mem:outbox-wake-up;DB_CLOSE_DELAY=-1"));
    final TransactionTemplate tx = new TransactionTemplate(transactions);

    @BeforeEach
    void listen() {
        for (String relay : List.of(Outbox.BILLING_STATUS, Outbox.MAIL, Outbox.DOCUMENT)) {
            wakeUp.listen(relay, () -> signals.add(relay));
        }
    }

    @Test
    void a_committed_transaction_wakes_each_relay_it_wrote_for_once_and_only_after_commit() {
        tx.executeWithoutResult(status -> {
            wakeUp.afterCommit(Outbox.BILLING_STATUS);
            wakeUp.afterCommit(Outbox.MAIL);
            wakeUp.afterCommit(Outbox.BILLING_STATUS);
            wakeUp.afterCommit(Outbox.MAIL);
            assertThat(signals).as("nothing before commit").isEmpty();
        });
        assertThat(signals).containsExactlyInAnyOrder(Outbox.BILLING_STATUS, Outbox.MAIL);
    }

    @Test
    void a_rolled_back_transaction_wakes_nothing() {
        tx.executeWithoutResult(status -> {
            wakeUp.afterCommit(Outbox.BILLING_STATUS);
            wakeUp.afterCommit(Outbox.DOCUMENT);
            status.setRollbackOnly();
        });
        assertThat(signals).isEmpty();
    }

    @Test
    void an_inner_transaction_of_its_own_wakes_at_its_own_commit() {
        TransactionTemplate own = new TransactionTemplate(transactions);
        own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        tx.executeWithoutResult(outer -> {
            wakeUp.afterCommit(Outbox.MAIL);
            own.executeWithoutResult(inner -> wakeUp.afterCommit(Outbox.MAIL));
            assertThat(signals).as("the inner commit").containsExactly(Outbox.MAIL);
        });
        assertThat(signals).as("and the outer one").containsExactly(Outbox.MAIL, Outbox.MAIL);
    }

    @Test
    void without_a_transaction_the_relay_is_woken_at_once() {
        wakeUp.afterCommit(Outbox.DOCUMENT);
        assertThat(signals).containsExactly(Outbox.DOCUMENT);
    }

    @Test
    void channels_without_a_relay_of_their_own_wake_the_outbox_relay() {
        assertThat(OutboxWakeUp.relayOf(Outbox.BILLING_STATUS)).isEqualTo(Outbox.BILLING_STATUS);
        assertThat(OutboxWakeUp.relayOf("some-future-channel")).isEqualTo(Outbox.BILLING_STATUS);
        assertThat(OutboxWakeUp.relayOf(Outbox.MAIL)).isEqualTo(Outbox.MAIL);
        assertThat(OutboxWakeUp.relayOf(Outbox.DOCUMENT)).isEqualTo(Outbox.DOCUMENT);
    }
}
