package cn.yekuo.hub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The prod profile refuses every embedded part and every missing secret with one start-up report that names each
 * setting and its environment variable, never a value; secrets come from the environment, from {@code *_FILE}
 * variables or from a configtree. The hub's configuration is started as the hub starts it (application.yaml,
 * application-prod.yaml, the environment post-processors), without the rest of the hub: no refusal needs a broker,
 * database or mail server.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProductionProfileTest {

    static final String FAILOVER = "(tcp://artemis-a:61616,tcp://artemis-b:61616)?ha=true&reconnectAttempts=-1";
    static final String TOKEN_SECRET = "k7Qz-0123456789-abcdefghij-ABCDEFGHIJ";

    @TempDir
    Path dataDir;

    @TempDir
    Path secrets;

    /** Everything prod needs, as environment variables. */
    static Map<String, Object> complete() {
        Map<String, Object> env = new HashMap<>();
        env.put("SPRING_DATASOURCE_URL", "jdbc:postgresql://db.example.cn:5432/yekuo");
        env.put("SPRING_DATASOURCE_USERNAME", "yekuo");
        env.put("SPRING_DATASOURCE_PASSWORD", "db-secret-1");
        env.put("YK_BROKER_URL", FAILOVER);
        env.put("YK_BROKER_PASSWORD", "broker-secret-1");
        env.put("YK_MAIL_SMTP_HOST", "mail.example.cn");
        env.put("YK_MAIL_IMAP_HOST", "mail.example.cn");
        env.put("YK_MAIL_HUB_PASSWORD", "mail-secret-1");
        env.put("YK_MAIL_TOKEN_SECRET", TOKEN_SECRET);
        env.put("YK_STATUS_SECRET", "s9Wd-0123456789-status-link-key-ABCDEF");
        env.put("YK_SECURITY_USERS_0_NAME", "wang");
        env.put("YK_SECURITY_USERS_0_PASSWORD", "user-secret-1");
        env.put("YK_SECURITY_USERS_0_ROLE", "REP");
        // the roster's logins are the users above (cases/Roster)
        env.put("YK_REPRESENTATIVES_0_ID", "wang");
        env.put("YK_REPRESENTATIVES_0_NAME", "王工");
        env.put("YK_REPRESENTATIVES_0_EMAIL", "wang@example.cn");
        env.put("YK_REPRESENTATIVES_0_USER", "wang");
        env.put("YK_DOCUMENTS_SEAL_KEYSTORE", "/run/secrets/seal.p12");
        env.put("YK_DOCUMENTS_SEAL_PASSWORD", "seal-secret-1");
        return env;
    }

    @Test
    void prod_on_the_embedded_defaults_is_refused_naming_every_missing_setting_at_once(CapturedOutput output) {
        Throwable failure = catchThrowable(() -> start(Map.of(), "prod").close());

        assertThat(failure).isInstanceOf(StartupProblem.class);
        assertThat(failure.getMessage()).contains("YK_BROKER_URL", "YK_BROKER_PASSWORD", "SPRING_DATASOURCE_URL",
                "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD", "YK_MAIL_SMTP_HOST", "YK_MAIL_IMAP_HOST",
                "YK_MAIL_HUB_PASSWORD", "YK_MAIL_TOKEN_SECRET", "'rep' has the embedded default password",
                "'viewer' has the embedded default password", "'rep2' has the embedded default password",
                "YK_DOCUMENTS_SEAL_KEYSTORE", "YK_DOCUMENTS_SEAL_PASSWORD", "YK_STATUS_SECRET");
        assertThat(output).contains("APPLICATION FAILED TO START", "The prod profile refuses to start (15 settings");
    }

    @Test
    void a_complete_production_configuration_starts_with_a_failover_broker_and_protected_mail() {
        try (ConfigurableApplicationContext hub = start(complete(), "prod")) {
            HubProperties p = hub.getBean(HubProperties.class);
            assertThat(p.broker().embedded()).isFalse();
            assertThat(p.broker().url()).isEqualTo(FAILOVER);
            assertThat(p.mail().embedded()).isFalse();
            assertThat(p.mail().smtpSecurity()).isEqualTo(HubProperties.Mail.Security.STARTTLS);
            assertThat(p.mail().smtpPort()).isEqualTo(587);
            assertThat(p.mail().imapSecurity()).isEqualTo(HubProperties.Mail.Security.TLS);
            assertThat(p.mail().imapPort()).isEqualTo(993);
            assertThat(p.mailEndpoint().smtp()).isEqualTo("smtp");
            assertThat(p.mailEndpoint().smtpStarttls()).isTrue();
            assertThat(p.mailEndpoint().imap()).isEqualTo("imaps");
            assertThat(p.security().users()).singleElement().satisfies(u -> assertThat(u.name()).isEqualTo("wang"));
            assertThat(p.files().store()).as("every node reads the files back").isEqualTo(HubProperties.Files.FileStore.DATABASE);
        }
    }

    @Test
    void prod_without_a_seal_keystore_is_refused_it_would_seal_with_a_self_signed_key(CapturedOutput output) {
        Map<String, Object> env = complete();
        env.remove("YK_DOCUMENTS_SEAL_KEYSTORE");
        env.put("YK_DOCUMENTS_SEAL_PASSWORD", "seal-secret-7");

        Throwable failure = catchThrowable(() -> start(env, "prod").close());

        assertThat(failure).isInstanceOf(StartupProblem.class);
        assertThat(failure.getMessage()).contains("(1 setting to correct", "yk.documents.seal.keystore (YK_DOCUMENTS_SEAL_KEYSTORE) is required",
                "PKCS#12", "self-signed");
        assertThat(output).contains("APPLICATION FAILED TO START").doesNotContain("seal-secret-7");
    }

    @Test
    void embedded_parts_switched_back_on_are_refused_one_line_each_without_their_values(CapturedOutput output) {
        Map<String, Object> env = complete();
        env.put("YK_BROKER_EMBEDDED", "true");
        env.put("YK_MAIL_EMBEDDED", "true");
        env.put("SPRING_DATASOURCE_URL", "jdbc:h2:file:/var/lib/yekuo/db/hub;PASSWORD=h2-secret-9");
        env.put("YK_MAIL_TOKEN_SECRET", "short-secret-7");
        env.put("YK_FILES_STORE", "disk");

        Throwable failure = catchThrowable(() -> start(env, "prod").close());

        assertThat(failure).isInstanceOf(StartupProblem.class);
        assertThat(failure.getMessage()).contains("(5 settings", "yk.files.store (YK_FILES_STORE) must be database", "yk.broker.embedded (YK_BROKER_EMBEDDED) must be false",
                "yk.mail.embedded (YK_MAIL_EMBEDDED) must be false", "must be a PostgreSQL URL", "not h2",
                "yk.mail.token-secret (YK_MAIL_TOKEN_SECRET) is shorter than 32");
        assertThat(output).doesNotContain("h2-secret-9").doesNotContain("short-secret-7");
    }

    @Test
    void the_public_change_me_placeholders_and_a_local_mail_reader_are_refused(CapturedOutput output) {
        Map<String, Object> env = complete();
        env.put("YK_MAIL_TOKEN_SECRET", "change-me-at-least-32-random-characters");
        env.put("YK_STATUS_SECRET", "change-me-at-least-32-random-characters");
        env.put("YK_BROKER_PASSWORD", "change-me-broker");
        env.put("YK_SECURITY_USERS_0_PASSWORD", "change-me-rep");
        env.put("YK_MAIL_READER", "local");

        Throwable failure = catchThrowable(() -> start(env, "prod").close());

        assertThat(failure).isInstanceOf(StartupProblem.class);
        assertThat(failure.getMessage()).contains("(5 settings", "yk.mail.token-secret (YK_MAIL_TOKEN_SECRET) is still the placeholder",
                "yk.status.secret (YK_STATUS_SECRET) is still the placeholder",
                "yk.broker.password (YK_BROKER_PASSWORD) is still the placeholder",
                "yk.security.users[0].password (YK_SECURITY_USERS_0_PASSWORD) is still the placeholder",
                "yk.mail.reader (YK_MAIL_READER) must be cluster");
        assertThat(output).doesNotContain("change-me-broker").doesNotContain("change-me-rep");
    }

    @Test
    void plain_text_mail_is_refused_unless_the_server_is_on_this_machine() {
        Map<String, Object> env = complete();
        env.put("YK_MAIL_SMTP_SECURITY", "none");
        Throwable failure = catchThrowable(() -> start(env, "prod").close());
        assertThat(failure).isInstanceOf(StartupProblem.class);
        assertThat(failure.getMessage()).contains("(1 setting", "yk.mail.smtp-security (YK_MAIL_SMTP_SECURITY) is none");

        env.put("YK_MAIL_SMTP_HOST", "127.0.0.1");
        env.put("YK_MAIL_IMAP_HOST", "127.0.0.1");
        env.put("YK_MAIL_IMAP_SECURITY", "none");
        try (ConfigurableApplicationContext hub = start(env, "prod")) {
            assertThat(hub.getBean(HubProperties.class).mailEndpoint().imap()).isEqualTo("imap");
        }
    }

    @Test
    void secrets_come_from_FILE_variables_with_the_trailing_newline_removed_and_are_never_logged(CapturedOutput output)
            throws IOException {
        Map<String, Object> env = complete();
        for (String variable : List.of("YK_BROKER_PASSWORD", "SPRING_DATASOURCE_PASSWORD", "YK_MAIL_HUB_PASSWORD",
                "YK_MAIL_TOKEN_SECRET", "YK_SECURITY_USERS_0_PASSWORD")) {
            env.remove(variable);
            Path file = Files.writeString(secrets.resolve(variable.toLowerCase()), "from-file-" + variable + "-0123456789abcdef\n");
            env.put(variable + "_FILE", file.toString());
        }
        try (ConfigurableApplicationContext hub = start(env, "prod")) {
            HubProperties p = hub.getBean(HubProperties.class);
            assertThat(p.broker().password()).isEqualTo("from-file-YK_BROKER_PASSWORD-0123456789abcdef");
            assertThat(p.mail().tokenSecret()).isEqualTo("from-file-YK_MAIL_TOKEN_SECRET-0123456789abcdef");
            assertThat(p.mailEndpoint().password()).as("the routes' login").isEqualTo("from-file-YK_MAIL_HUB_PASSWORD-0123456789abcdef");
            assertThat(p.security().users().get(0).password()).isEqualTo("from-file-YK_SECURITY_USERS_0_PASSWORD-0123456789abcdef");
            assertThat(hub.getEnvironment().getProperty("spring.datasource.password"))
                    .isEqualTo("from-file-SPRING_DATASOURCE_PASSWORD-0123456789abcdef");
        }
        assertThat(output).contains("Secrets read from files for").doesNotContain("from-file-");
    }

    @Test
    void a_secret_set_twice_or_an_unreadable_secret_file_stops_the_start_naming_the_variable() {
        Map<String, Object> env = complete();
        env.put("YK_BROKER_PASSWORD_FILE", secrets.resolve("missing").toString());
        Throwable failure = catchThrowable(() -> start(env, "prod").close());
        assertThat(failure).isInstanceOf(StartupProblem.class);
        assertThat(failure.getMessage()).contains("YK_BROKER_PASSWORD and YK_BROKER_PASSWORD_FILE are both set");

        env.remove("YK_BROKER_PASSWORD");
        failure = catchThrowable(() -> start(env, "prod").close());
        assertThat(failure.getMessage()).contains("YK_BROKER_PASSWORD_FILE=" + secrets.resolve("missing"), "cannot be read");
    }

    @Test
    void a_misspelt_FILE_variable_is_an_unknown_key_and_other_FILE_settings_are_left_alone() throws IOException {
        Path file = Files.writeString(secrets.resolve("broker"), "broker-secret-2\n");
        Map<String, Object> env = new HashMap<>();
        env.put("YK_BROKER_PASWORD_FILE", file.toString());
        Throwable failure = catchThrowable(() -> start(env).close());
        assertThat(failure).isNotNull();
        Throwable t = failure;
        while (t != null && !(t instanceof UnboundConfigurationPropertiesException)) {
            t = t.getCause();
        }
        assertThat(t).as("an unknown-key failure: %s", failure).isNotNull();
        assertThat(((UnboundConfigurationPropertiesException) t).getUnboundProperties())
                .extracting(p -> p.getName().toString()).containsExactly("yk.broker.pasword.file");

        Path rules = Files.writeString(secrets.resolve("rules.yaml"), "ruleSets: []\n");
        try (ConfigurableApplicationContext hub = start(Map.of("YK_TIME_RULES_FILE", rules.toString()))) {
            assertThat(hub.getBean(HubProperties.class).time().rulesFile()).as("a setting, not a secret's file").isEqualTo(rules.toString());
        }
    }

    @Test
    void secrets_come_from_a_configtree_of_files_named_after_the_keys() throws IOException {
        Map<String, Object> env = complete();
        env.remove("YK_BROKER_PASSWORD");
        env.remove("YK_MAIL_TOKEN_SECRET");
        env.remove("SPRING_DATASOURCE_PASSWORD");
        Files.writeString(secrets.resolve("yk.broker.password"), "tree-broker-secret\n");
        Files.writeString(secrets.resolve("yk.mail.token-secret"), TOKEN_SECRET + "\n");
        Files.writeString(secrets.resolve("spring.datasource.password"), "tree-db-secret\n");
        env.put("YK_SECRETS_DIR", secrets + "/");
        try (ConfigurableApplicationContext hub = start(env, "prod")) {
            HubProperties p = hub.getBean(HubProperties.class);
            assertThat(p.broker().password()).isEqualTo("tree-broker-secret");
            assertThat(p.mail().tokenSecret()).isEqualTo(TOKEN_SECRET);
            assertThat(hub.getEnvironment().getProperty("spring.datasource.password")).isEqualTo("tree-db-secret");
        }
    }

    @Test
    void without_the_prod_profile_the_embedded_default_is_unchanged() {
        try (ConfigurableApplicationContext hub = start(Map.of())) {
            HubProperties p = hub.getBean(HubProperties.class);
            assertThat(p.broker().embedded()).isTrue();
            assertThat(p.mail().embedded()).isTrue();
            assertThat(p.mail().smtpSecurity()).isEqualTo(HubProperties.Mail.Security.NONE);
            assertThat(p.mailEndpoint().smtp()).isEqualTo("smtp");
            assertThat(p.mailEndpoint().smtpStarttls()).isFalse();
        }
        try (ConfigurableApplicationContext hub = start(Map.of("YK_MAIL_SSL", "true"))) {
            HubProperties p = hub.getBean(HubProperties.class);
            assertThat(p.mail().smtpSecurity()).as("yk.mail.ssl, the older shorthand").isEqualTo(HubProperties.Mail.Security.TLS);
            assertThat(p.mailEndpoint().imap()).isEqualTo("imaps");
        }
    }

    /** The hub's configuration started with these environment variables (and an empty secrets folder by default). */
    private ConfigurableApplicationContext start(Map<String, Object> variables, String... profiles) {
        Map<String, Object> env = new HashMap<>(variables);
        env.putIfAbsent("YK_SECRETS_DIR", dataDir.resolve("no-secrets") + "/");
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env));
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
                new MapPropertySource(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, Map.of()));
        environment.setActiveProfiles(profiles);
        SpringApplication application = new SpringApplication(HubConfiguration.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        application.setEnvironment(environment);
        List<String> args = new ArrayList<>();
        args.add("--yk.data-dir=" + dataDir);
        // the prod profile's JSON logs would be the whole test JVM's from here on (Logback is one per JVM): plain text
        args.add("--logging.structured.format.console=");
        return application.run(args.toArray(String[]::new));
    }
}
