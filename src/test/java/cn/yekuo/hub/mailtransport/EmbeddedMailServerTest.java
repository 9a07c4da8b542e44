package cn.yekuo.hub.mailtransport;

import cn.yekuo.hub.tokens.TokenConfiguration;

import cn.yekuo.hub.tokens.HandoffToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.domain.Unit;
import cn.yekuo.hub.support.HubTest;
import cn.yekuo.hub.support.MailClient;

/** docs/contract.md §5's mail server and the mail configuration: mailboxes from the start, addresses, allow-lists, secret. */
@HubTest
class EmbeddedMailServerTest {

    @Autowired
    MailDirectory directory;
    @Value("${yk.data-dir-absolute}")
    String dataDir;

    @Test
    void every_configured_mailbox_exists_from_the_start_with_the_address_as_login_and_password() {
        assertThat(directory.allMailboxes()).contains("hub@yekuo.local", "production@yekuo.local", "marketing@yekuo.local",
                "construction@yekuo.local", "customer-center@yekuo.local", "assessment@yekuo.local", "reps@yekuo.local",
                "rep@yekuo.local", "rep2@yekuo.local", "station-dongjiao@yekuo.local", "station-xijiao@yekuo.local", "station-chengqu@yekuo.local");
        MailClient mail = MailClient.ofTestHub();
        for (String address : directory.allMailboxes()) {
            assertThat(mail.messages(address, "Drafts")).as("IMAP login of %s", address).isEmpty();
        }
    }

    @Test
    void the_token_secret_of_the_embedded_mode_is_generated_once_and_kept_under_the_data_directory() throws Exception {
        Path kept = Path.of(dataDir, "mail", "token-secret");
        assertThat(kept).exists();
        String secret = Files.readString(kept).trim();
        assertThat(secret).hasSize(64);
        assertThat(cn.yekuo.hub.tokens.TokenConfiguration.generatedSecret(kept)).as("read again, not regenerated").isEqualTo(secret);
    }

    @Test
    void outside_the_embedded_mode_a_token_secret_is_required(@TempDir Path dir) {
        HubProperties external = bind(Map.of("yk.mail.embedded", "false", "yk.data-dir", dir.toString()));
        assertThatThrownBy(() -> new TokenConfiguration().handoffToken(external))
                .hasMessageContaining("yk.mail.token-secret");
        HubProperties configured = bind(Map.of("yk.mail.embedded", "false", "yk.mail.token-secret", "0123456789abcdef0123456789abcdef",
                "yk.data-dir", dir.toString()));
        assertThat(new TokenConfiguration().handoffToken(configured).tokenFor("YK-2026-000017", 3))
                .isEqualTo(new HandoffToken("0123456789abcdef0123456789abcdef").tokenFor("YK-2026-000017", 3));
        assertThat(dir.resolve("mail")).doesNotExist();
    }

    @Test
    void outside_the_embedded_mode_the_hub_mailbox_password_is_required() {
        assertThatThrownBy(() -> new MailConfiguration().hubMailAccount(bind(Map.of("yk.mail.embedded", "false"))))
                .hasMessageContaining("yk.mail.hub-password");
        assertThat(new MailConfiguration().hubMailAccount(bind(Map.of("yk.mail.embedded", "false",
                "yk.mail.hub-password", "s3cret", "yk.mail.hub-user", "yk-hub"))).user()).isEqualTo("yk-hub");
        assertThat(new MailConfiguration().hubMailAccount(bind(Map.of())).user()).as("embedded: login = address")
                .isEqualTo("hub@yekuo.local");
    }

    @Test
    void units_stations_and_reps_take_their_configured_addresses_and_allow_lists() {
        MailDirectory configured = new MailDirectory(bind(Map.of(
                "yk.mail.units.production.address", "Scjs@Power.example.cn",
                "yk.mail.units.production.allow-list[0]", "zhang.gong@power.example.cn",
                "yk.mail.reps-address", "khdb@power.example.cn",
                "yk.mail.stations.dongjiao", "dj@power.example.cn",
                "yk.mail.units.customercenter.address", "kfzx@power.example.cn"))); // as from YK_MAIL_UNITS_CUSTOMERCENTER_ADDRESS
        assertThat(configured.addressOf(Unit.CUSTOMER_CENTER)).isEqualTo("kfzx@power.example.cn");
        assertThat(configured.addressOf(Unit.PRODUCTION)).isEqualTo("scjs@power.example.cn");
        assertThat(configured.allowListOf(Unit.PRODUCTION)).containsExactly("scjs@power.example.cn", "zhang.gong@power.example.cn");
        assertThat(configured.addressOf(Unit.MARKETING)).isEqualTo("marketing@yekuo.local");
        assertThat(configured.allowListOf(Unit.MARKETING)).containsExactly("marketing@yekuo.local");
        assertThat(configured.repsAddress()).isEqualTo("khdb@power.example.cn");
        assertThat(configured.stationAddress("dongjiao")).contains("dj@power.example.cn");
        assertThat(configured.stationAddress("xijiao")).contains("station-xijiao@yekuo.local");
        assertThatThrownBy(() -> new MailDirectory(bind(Map.of("yk.mail.units.produktion.address", "x@y.cn"))))
                .hasMessageContaining("produktion");
    }

    private static HubProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("yk", HubProperties.class);
    }
}
