package cn.yekuo.hub.crash;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import cn.yekuo.hub.support.HubTest;

/**
 * The embedded H2 of the default configuration writes each commit to its file before the commit returns, i.e. before
 * the JMS acknowledgement. With H2's default (500 ms in the background) a kill -9 lost acknowledged applications;
 * {@link KillUnderLoadOnH2Test} is the drill, this the deterministic check of the setting it depends on.
 */
@HubTest
class EmbeddedDatabaseDurabilityTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void the_embedded_database_writes_each_commit_before_it_returns() {
        assertThat(jdbc.queryForList("select setting_value from information_schema.settings where setting_name = 'WRITE_DELAY'",
                String.class)).as("H2 WRITE_DELAY").isNotEmpty().containsOnly("0");
    }
}
