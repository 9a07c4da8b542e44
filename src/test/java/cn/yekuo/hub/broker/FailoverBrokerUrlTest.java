package cn.yekuo.hub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.jms.ConnectionFactory;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jms.connection.CachingConnectionFactory;

import cn.yekuo.hub.config.HubProperties;

/**
 * The documented URL of a live/backup broker pair (docs/operations.md) is taken by the hub's JMS connection factory as
 * it is: both servers, HA, and Artemis' own reconnection without end.
 */
class FailoverBrokerUrlTest {

    @Test
    void the_connection_factory_takes_the_failover_url_of_a_live_backup_pair() {
        HubProperties hub = new Binder(new MapConfigurationPropertySource(Map.of(
                "yk.broker.embedded", "false",
                "yk.broker.url", "(tcp://artemis-a:61616,tcp://artemis-b:61616)?ha=true&reconnectAttempts=-1",
                "yk.broker.password", "hub-secret"))).bindOrCreate("yk", HubProperties.class);

        ConnectionFactory factory = new BrokerConfiguration().connectionFactory(hub,
                new StaticListableBeanFactory().getBeanProvider(EmbeddedBroker.class));

        ActiveMQConnectionFactory artemis = (ActiveMQConnectionFactory) ((CachingConnectionFactory) factory).getTargetConnectionFactory();
        assertThat(artemis.getStaticConnectors()).extracting(c -> c.getParams().get("host"))
                .containsExactly("artemis-a", "artemis-b");
        assertThat(artemis.isHA()).isTrue();
        assertThat(artemis.getServerLocator().getReconnectAttempts()).isEqualTo(-1);
        assertThat(artemis.getUser()).isEqualTo("hub");
    }
}
