package cn.yekuo.hub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * One configuration source: every {@code yk.*} key of application.yaml, of the demo profile and of the derived values
 * binds to {@link HubProperties}; a misspelt key — in a file or argument, an environment variable or a system property —
 * stops the start with a report that names it, and so does a value out of its range. The hub's configuration classes
 * are started as the hub starts them (application.yaml, the environment post-processors), without the rest of the hub.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationKeysTest {

    @TempDir
    Path dataDir;

    @Test
    void the_packaged_configuration_binds_whole_and_the_zone_is_read_from_it() {
        try (ConfigurableApplicationContext hub = start(Map.of(), Map.of(), List.of())) {
            HubProperties p = hub.getBean(HubProperties.class);
            assertThat(p.businessZone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
            assertThat(p.monthly().planCron()).isEqualTo("0 0 8 1 * ?");
            assertThat(p.mail().relayBatch()).isEqualTo(50);
            assertThat(p.documents().issuerBatch()).isEqualTo(20);
            assertThat(p.dataDirAbsolute()).isEqualTo(dataDir.toAbsolutePath().normalize());
            assertThat(p.mailEndpoint().user()).as("derived by MailEnvironment").isEqualTo("hub@yekuo.local");
        }
    }

    @Test
    void every_yk_placeholder_of_the_routes_has_a_value_and_so_a_key_of_hub_properties() throws IOException {
        Set<String> keys = new TreeSet<>();
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            for (Path route : routes.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                Matcher m = PLACEHOLDER.matcher(Files.readString(route));
                while (m.find()) {
                    keys.add(m.group(1));
                }
            }
        }
        assertThat(keys).contains("yk.business-zone", "yk.mail.relay-batch", "yk.mail-endpoint.password");
        try (ConfigurableApplicationContext hub = start(Map.of(), Map.of(), List.of())) {
            // the start bound every yk.* key of the environment to HubProperties, or it would have failed
            assertThat(keys).allSatisfy(key -> assertThat(hub.getEnvironment().getProperty(key)).as(key).isNotBlank());
        }
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(yk\\.[a-z0-9.-]+)}}");

    @Test
    void the_demo_profile_binds_whole() {
        try (ConfigurableApplicationContext hub = start(Map.of(), Map.of(), List.of(), "demo")) {
            assertThat(hub.getBean(HubProperties.class).demo().replyDelay()).hasSeconds(3);
        }
    }

    @Test
    void a_misspelt_key_in_the_arguments_stops_the_start_naming_it(CapturedOutput output) {
        Throwable failure = catchThrowable(() -> start(Map.of(), Map.of(), List.of("--yk.mail.smtp-hots=mail.example.cn")).close());

        assertThat(unbound(failure)).containsExactly("yk.mail.smtp-hots");
        assertThat(output).contains("APPLICATION FAILED TO START", "yk.mail.smtp-hots");
    }

    @Test
    void a_misspelt_secret_is_named_in_the_report_but_its_value_never_printed(CapturedOutput output) {
        Throwable failure = catchThrowable(() -> start(Map.of(), Map.of(),
                List.of("--yk.mail.token-secert=k7Qz-the-secret-itself")).close());

        assertThat(unbound(failure)).containsExactly("yk.mail.token-secert");
        assertThat(output).contains("yk.mail.token-secert", "values not shown").doesNotContain("k7Qz-the-secret-itself");
    }

    @Test
    void an_empty_environment_variable_means_not_set_and_is_no_typo() {
        try (ConfigurableApplicationContext hub = start(Map.of("YK_MAIL_EMBEDDED_RETENTION", ""), Map.of(), List.of())) {
            assertThat(hub.getBean(HubProperties.class).mail().embeddedRetention()).isNull();
        }
    }

    @Test
    void a_misspelt_key_inside_a_map_entry_stops_the_start() {
        Throwable failure = catchThrowable(() -> start(Map.of(), Map.of(),
                List.of("--yk.mail.units.production.adress=production@yekuo.cn")).close());

        assertThat(unbound(failure)).containsExactly("yk.mail.units.production.adress");
    }

    @Test
    void environment_variables_bind_by_their_relaxed_names_and_a_misspelt_one_stops_the_start(CapturedOutput output) {
        Map<String, Object> good = Map.of("YK_MAIL_SMTP_HOST", "mail.example.cn", "YK_SECURITY_USERS_0_NAME", "wang",
                "YK_SECURITY_USERS_0_PASSWORD", "secret", "YK_SUPPLY_STATIONS", "dongjiao,xijiao",
                "YK_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1/yk", "PATH", "/usr/bin");
        try (ConfigurableApplicationContext hub = start(good, Map.of(), List.of())) {
            HubProperties p = hub.getBean(HubProperties.class);
            assertThat(p.mail().smtpHost()).isEqualTo("mail.example.cn");
            assertThat(p.security().users()).singleElement().satisfies(u -> assertThat(u.name()).isEqualTo("wang"));
            assertThat(p.supplyStations()).containsExactly("dongjiao", "xijiao");
        }

        Map<String, Object> misspelt = new HashMap<>(good);
        misspelt.put("YK_MAIL_SMPT_PORT", "2525");
        Throwable failure = catchThrowable(() -> start(misspelt, Map.of(), List.of()).close());

        assertThat(unbound(failure)).containsExactly("yk.mail.smpt.port");
        assertThat(output).contains("YK_MAIL_SMPT_PORT").doesNotContain("2525");
    }

    @Test
    void a_misspelt_system_property_stops_the_start_and_the_test_suites_own_are_left_alone() {
        Map<String, Object> suite = Map.of("yk.test.broker-port", "62646", "yk.bench.cases", "10", "java.version", "17");
        start(Map.of(), suite, List.of()).close();

        Map<String, Object> misspelt = new HashMap<>(suite);
        misspelt.put("yk.outbox.pol-millis", "200");
        Throwable failure = catchThrowable(() -> start(Map.of(), misspelt, List.of()).close());

        assertThat(unbound(failure)).containsExactly("yk.outbox.pol-millis");
    }

    @Test
    void a_value_out_of_its_range_stops_the_start_naming_the_key(CapturedOutput output) {
        Throwable port = catchThrowable(() -> start(Map.of(), Map.of(), List.of("--yk.mail.smtp-port=70000")).close());
        assertThat(port).hasRootCauseInstanceOf(BindValidationException.class);
        assertThat(output).contains("yk.mail.smtpPort", "must be less than or equal to 65535"); // Spring names a record's component

        Throwable zone = catchThrowable(() -> start(Map.of(), Map.of(), List.of("--yk.business-zone=Asia/Shanghia")).close());
        assertThat(zone).isNotNull();
        assertThat(output).contains("yk.business-zone");
    }

    /** The names the start-up report lists as bound to nothing. */
    private static List<String> unbound(Throwable failure) {
        assertThat(failure).as("the start fails").isNotNull();
        Throwable t = failure;
        while (t != null && !(t instanceof UnboundConfigurationPropertiesException)) {
            t = t.getCause();
        }
        assertThat(t).as("an unbound-key failure in %s", failure).isNotNull();
        return ((UnboundConfigurationPropertiesException) t).getUnboundProperties().stream()
                .map(p -> p.getName().toString()).toList();
    }

    /** The hub's configuration started with the given environment variables, system properties and arguments. */
    private ConfigurableApplicationContext start(Map<String, Object> variables, Map<String, Object> systemProperties,
                                                 List<String> args, String... profiles) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
                new MapPropertySource(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, systemProperties));
        environment.setActiveProfiles(profiles);
        SpringApplication application = new SpringApplication(HubConfiguration.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        application.setEnvironment(environment);
        List<String> all = new java.util.ArrayList<>(args);
        all.add("--yk.data-dir=" + dataDir);
        return application.run(all.toArray(String[]::new));
    }
}
