package cn.yekuo.hub.broker;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.CoreQueueConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.yekuo.hub.config.HubProperties;

/**
 * The hub's own Artemis broker (docs/contract.md §1, embedded default): persistent journal under the data
 * directory, a multi-protocol TCP acceptor for the billing system, security on, the four queues created.
 */
public class EmbeddedBroker {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);

    public static final String APPLICATIONS = "yk.billing.applications";
    public static final String EVENTS = "yk.billing.events";
    public static final String STATUS = "yk.billing.status";
    public static final String DLQ = "yk.dlq";
    /** Each broker in this JVM gets its own in-VM id, so tests can run several hubs side by side. */
    private static final java.util.concurrent.atomic.AtomicInteger IN_VM_IDS = new java.util.concurrent.atomic.AtomicInteger();

    private static final String HUB_ROLE = "hub";
    private static final String BILLING_ROLE = "billing";

    private final EmbeddedActiveMQ server = new EmbeddedActiveMQ();
    private final String inVmUrl = "vm://" + IN_VM_IDS.getAndIncrement();

    public EmbeddedBroker(HubProperties.Broker settings, Path dataDir, String hubPassword) throws Exception {
        Path journal = dataDir.resolve("artemis");
        Configuration config = new ConfigurationImpl()
                .setName("yekuo-hub")
                .setPersistenceEnabled(true)
                .setJournalDirectory(journal.resolve("journal").toString())
                .setBindingsDirectory(journal.resolve("bindings").toString())
                .setLargeMessagesDirectory(journal.resolve("large-messages").toString())
                .setPagingDirectory(journal.resolve("paging").toString())
                .setNodeManagerLockDirectory(journal.toString())
                // Artemis' defaults, stated because the contract relies on them: a send billing saw return and an
                // acknowledgement are synced to the journal first, so neither kill -9 nor a power cut loses them
                .setJournalSyncTransactional(true)
                .setJournalSyncNonTransactional(true)
                // the ids of sent messages outlive a crash, so the outbox relay's re-sends after one are dropped
                .setPersistIDCache(true)
                .setSecurityEnabled(true)
                .setJMXManagementEnabled(false)
                // the hub is the only admin of its broker: no management-notification chatter
                .setGracefulShutdownEnabled(true);
        config.addAcceptorConfiguration("in-vm", inVmUrl);
        config.addAcceptorConfiguration("billing", settings.acceptor());

        for (String queue : List.of(APPLICATIONS, EVENTS, STATUS, DLQ)) {
            config.addQueueConfiguration(new CoreQueueConfiguration()
                    .setAddress(queue).setName(queue).setRoutingType(RoutingType.ANYCAST).setDurable(true)
                    // one consumer at a time receives billing's events, whichever hub node it is on: each case's events
                    // are applied in the order billing sent them; when that consumer goes, the next one takes over
                    .setExclusive(EVENTS.equals(queue) ? Boolean.TRUE : null));
        }
        // a rolled-back billing message comes back with backoff; the hub, not the broker, decides when it is poison
        config.addAddressSetting("yk.billing.#", billingSettings(settings.redeliveryDelay().toMillis(), settings));
        // events come back at once, ahead of the later ones: a delayed redelivery would let the next events of the
        // same case overtake the one that rolled back (or that a stopped node held), so their order is kept instead
        config.addAddressSetting(EVENTS, billingSettings(0, settings));

        // billing's messages over the limit are refused at the send, so no consumer ever holds one
        config.registerBrokerPlugin(new BillingMessageSizeLimit(Set.of(APPLICATIONS, EVENTS), settings.maxMessageBytes()));

        Role hub = new Role(HUB_ROLE, true, true, true, true, true, true, true, true, true, true, true, true);
        // billing sends applications and events, reads status; it may not create or delete anything
        Role billingSends = new Role(BILLING_ROLE, true, false, false, false, false, false, false, false, false, false, false, false);
        Role billingReads = new Role(BILLING_ROLE, false, true, false, false, false, false, false, true, false, false, false, false);
        config.putSecurityRoles("#", Set.of(hub));
        config.putSecurityRoles(APPLICATIONS, Set.of(hub, billingSends));
        config.putSecurityRoles(EVENTS, Set.of(hub, billingSends));
        config.putSecurityRoles(STATUS, Set.of(hub, billingReads));
        config.putSecurityRoles(DLQ, Set.of(hub, billingReads));

        SecurityConfiguration users = new SecurityConfiguration();
        users.addUser(settings.user(), hubPassword);
        users.addRole(settings.user(), HUB_ROLE);
        users.addUser(settings.billingUser(), settings.billingPassword());
        users.addRole(settings.billingUser(), BILLING_ROLE);
        server.setConfiguration(config);
        server.setSecurityManager(new ActiveMQJAASSecurityManager(InVMLoginModule.class.getName(), users));
        log.info("Starting the embedded Artemis broker, journal {}, acceptor {}", journal.toAbsolutePath(), settings.acceptor());
        if ("billing".equals(settings.billingPassword())) {
            log.warn("The billing system's broker password is the embedded default 'billing': set YK_BROKER_BILLING_PASSWORD");
        }
    }

    /** Where the hub itself connects: in-VM, no network. */
    private static AddressSettings billingSettings(long redeliveryDelay, HubProperties.Broker settings) {
        return new AddressSettings()
                .setRedeliveryDelay(redeliveryDelay)
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(settings.maxRedeliveryDelay().toMillis())
                .setMaxDeliveryAttempts(-1)
                .setDeadLetterAddress(org.apache.activemq.artemis.api.core.SimpleString.of(DLQ))
                .setAutoCreateQueues(false)
                .setAutoCreateAddresses(false);
    }

    public String inVmUrl() {
        return inVmUrl;
    }

    public void start() throws Exception {
        server.start();
    }

    public void stop() throws Exception {
        server.stop();
    }

    public boolean isActive() {
        return server.getActiveMQServer() != null && server.getActiveMQServer().isActive();
    }
}
