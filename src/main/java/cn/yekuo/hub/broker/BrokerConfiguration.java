package cn.yekuo.hub.broker;

import java.security.SecureRandom;
import java.util.HexFormat;

import jakarta.jms.ConnectionFactory;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jms.connection.CachingConnectionFactory;

import cn.yekuo.hub.config.HubProperties;

/**
 * The hub's JMS connection: in-VM to its embedded broker by default, or to an external broker when
 * {@code yk.broker.embedded=false} (URL, user, password).
 */
@Configuration(proxyBeanMethods = false)
public class BrokerConfiguration {

    @Bean(initMethod = "start", destroyMethod = "stop")
    @ConditionalOnProperty(name = "yk.broker.embedded", havingValue = "true", matchIfMissing = true)
    EmbeddedBroker embeddedBroker(HubProperties hub) throws Exception {
        return new EmbeddedBroker(hub.broker(), hub.dataDir(), hubBrokerPassword(hub.broker()));
    }

    /** One connection factory for consumers and producers, so sends inside a consumer's transaction join it. */
    @Bean
    ConnectionFactory connectionFactory(HubProperties hub, org.springframework.beans.factory.ObjectProvider<EmbeddedBroker> embedded) {
        HubProperties.Broker broker = hub.broker();
        // asking for the embedded broker creates and starts it, so it is up before anyone connects
        EmbeddedBroker local = embedded.getIfAvailable();
        String url = local != null ? local.inVmUrl() : broker.url();
        ActiveMQConnectionFactory artemis = new ActiveMQConnectionFactory(url, broker.user(), hubBrokerPassword(broker));
        // billing speaks JSON: no Java object sent as an ObjectMessage is ever deserialised by the hub
        artemis.setDeserializationDenyList("*");
        CachingConnectionFactory caching = new CachingConnectionFactory(artemis);
        caching.setSessionCacheSize(20);
        // a lost broker drops the shared connection; the listener containers connect again every 5 s. Artemis' own
        // reconnect (reconnectAttempts) stays off so that health shows jms DOWN meanwhile (BrokerRestartTest)
        caching.setReconnectOnException(true);
        return caching;
    }

    private static String generated;

    /** In embedded mode nobody but the hub needs its password, so an unset one is random per start. */
    static synchronized String hubBrokerPassword(HubProperties.Broker broker) {
        if (broker.password() != null && !broker.password().isBlank()) {
            return broker.password();
        }
        if (!broker.embedded()) {
            throw new IllegalStateException("yk.broker.password (YK_BROKER_PASSWORD) is required for an external broker");
        }
        if (generated == null) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            generated = HexFormat.of().formatHex(random);
        }
        return generated;
    }
}
