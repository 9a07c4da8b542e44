package cn.yekuo.hub.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The mail relay keeps up with intake: unset, it sends on as many threads as intake has consumers, 2 to 4. */
class MailRelayThreadsTest {

    @Test
    void unset_it_follows_the_intake_consumers_within_two_and_four() {
        assertThat(bind(Map.of()).mailRelayThreads()).as("the default two consumers").isEqualTo(2);
        assertThat(bind(Map.of("yk.intake.consumers", "1")).mailRelayThreads()).isEqualTo(2);
        assertThat(bind(Map.of("yk.intake.consumers", "3")).mailRelayThreads()).isEqualTo(3);
        assertThat(bind(Map.of("yk.intake.consumers", "8")).mailRelayThreads()).isEqualTo(4);
    }

    @Test
    void set_it_is_taken_as_set() {
        assertThat(bind(Map.of("yk.intake.consumers", "4", "yk.mail.relay-threads", "1")).mailRelayThreads()).isEqualTo(1);
    }

    private static HubProperties bind(Map<String, String> p) {
        return new Binder(new MapConfigurationPropertySource(p)).bindOrCreate("yk", HubProperties.class);
    }
}
