package cn.yekuo.hub.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.Yaml;

import cn.yekuo.hub.broker.EmbeddedBroker;
import cn.yekuo.hub.config.HubProperties;

/**
 * docker-compose.yml and the Dockerfile agree with the hub's configuration: every environment variable of
 * the hub is a property the hub (or Spring Boot) reads, URLs point at the services that serve them, and no
 * secret is written in the file. No Docker engine is needed: the files are read as YAML and text.
 */
class ComposeFileTest {

    private static final Path ROOT = Paths.get("").toAbsolutePath();
    private static final List<String> SERVICES = List.of("artemis", "artemis-backup", "postgres", "mail", "hub", "proxy");

    /** The Spring Boot properties the compose file may set, beyond the hub's own {@code yk.*}. */
    private static final Set<String> SPRING_PROPERTIES = Set.of(
            "spring.datasource.url", "spring.datasource.username", "spring.datasource.password",
            "server.address", "server.port", "spring.profiles.active");

    /** {@code ${NAME}} or {@code ${NAME:?message}} / {@code ${NAME?message}}: no default value, so no literal. */
    private static final Pattern SUBSTITUTION = Pattern.compile("^\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?\\?[^}]*)?}$");

    private static Map<String, Object> compose;
    private static Map<String, Object> services;
    private static List<String> dockerfile;
    private static Set<String> ykKeysInApplicationYaml;
    private static Set<String> ykKeysOfHubProperties;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        compose = new Yaml().load(read("docker-compose.yml"));
        assertThat(compose).as("docker-compose.yml").containsKey("services");
        services = (Map<String, Object>) compose.get("services");
        dockerfile = parseDockerfile(read("Dockerfile"));
        Map<String, Object> application = new Yaml().load(read("src/main/resources/application.yaml"));
        ykKeysInApplicationYaml = new TreeSet<>();
        flatten("", application, ykKeysInApplicationYaml);
        ykKeysInApplicationYaml.removeIf(k -> !k.startsWith("yk."));
        ykKeysOfHubProperties = new TreeSet<>();
        properties("yk", HubProperties.class, ykKeysOfHubProperties);
    }

    // ---------------------------------------------------------------- services

    @Test
    @DisplayName("the services artemis, artemis-backup, postgres, mail, hub and proxy exist")
    void theServicesExist() {
        assertThat(services).as("services of docker-compose.yml").containsKeys(SERVICES.toArray(String[]::new));
    }

    @Test
    @DisplayName("hub is built from the repository's Dockerfile")
    void hubIsBuiltFromTheDockerfile() {
        Object build = service("hub").get("build");
        assertThat(build).as("service hub, key build").isNotNull();
        String context;
        String file = "Dockerfile";
        if (build instanceof Map<?, ?> b) {
            context = String.valueOf(b.get("context") == null ? "." : b.get("context"));
            if (b.get("dockerfile") != null) {
                file = String.valueOf(b.get("dockerfile"));
            }
        } else {
            context = String.valueOf(build);
        }
        assertThat(ROOT.resolve(context).normalize()).as("service hub, build.context: the repository root").isEqualTo(ROOT);
        assertThat(ROOT.resolve(context).resolve(file).normalize())
                .as("service hub, build.dockerfile").isEqualTo(ROOT.resolve("Dockerfile")).exists();
    }

    @Test
    @DisplayName("hub depends on artemis, postgres and mail")
    void hubDependsOnTheThreeServices() {
        Object dependsOn = service("hub").get("depends_on");
        Collection<?> names = dependsOn instanceof Map<?, ?> m ? m.keySet() : dependsOn instanceof List<?> l ? l : List.of();
        assertThat(names.stream().map(String::valueOf).toList()).as("service hub, key depends_on")
                .contains("artemis", "postgres", "mail");
    }

    @Test
    @DisplayName("hub waits for artemis and postgres to be healthy, and they have health checks")
    void hubWaitsForHealthyBrokerAndDatabase() {
        Map<?, ?> dependsOn = (Map<?, ?>) service("hub").get("depends_on");
        for (String name : List.of("artemis", "postgres")) {
            assertThat(service(name)).as("service %s, key healthcheck", name).containsKey("healthcheck");
            assertThat(((Map<?, ?>) dependsOn.get(name)).get("condition"))
                    .as("service hub, depends_on.%s.condition", name).isEqualTo("service_healthy");
        }
    }

    // ---------------------------------------------------------------- the hub's environment

    @Test
    @DisplayName("every environment variable of hub is a real configuration property (relaxed binding)")
    void everyHubVariableIsARealProperty() {
        Set<String> known = new LinkedHashSet<>();
        known.addAll(ykKeysInApplicationYaml);
        // yk.broker.password, yk.mail.hub-user, hub-password and token-secret have no default: they are
        // documented as comments in application.yaml and exist in HubProperties
        known.addAll(ykKeysOfHubProperties);
        known.addAll(SPRING_PROPERTIES);
        Map<String, String> envNameToKey = new LinkedHashMap<>();
        for (String key : known) {
            for (String envName : environmentNames(key)) {
                envNameToKey.putIfAbsent(envName, key);
            }
        }
        List<String> unknown = new ArrayList<>();
        for (String variable : environment("hub").keySet()) {
            String property = toProperty(variable);
            boolean ok = envNameToKey.containsKey(indexless(variable));
            if (!ok) {
                unknown.add(variable + " (= " + property + ")");
            }
        }
        assertThat(unknown).as("service hub, environment: variables that bind to no property; known properties are %s"
                + " (yk.* from application.yaml and HubProperties)", known).isEmpty();
    }

    @Test
    @DisplayName("the hub's environment names are spelled as Spring Boot binds them: the values arrive in HubProperties")
    void hubEnvironmentBindsIntoHubProperties() {
        Map<String, Object> env = new LinkedHashMap<>();
        environment("hub").forEach((k, v) -> env.put(k, resolved(v)));
        // Spring Boot applies the environment-variable mapping to a source of this name only
        Binder binder = new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env)));
        HubProperties hub = binder.bindOrCreate("yk", HubProperties.class);
        Map<String, String> e = environment("hub");
        assertThat(hub.broker().embedded()).as("yk.broker.embedded from YK_BROKER_EMBEDDED").isFalse();
        assertThat(hub.broker().url()).as("yk.broker.url from YK_BROKER_URL").isEqualTo(e.get("YK_BROKER_URL"));
        assertThat(hub.broker().user()).as("yk.broker.user from YK_BROKER_USER").isEqualTo(resolved(e.get("YK_BROKER_USER")));
        assertThat(hub.broker().password()).as("yk.broker.password from YK_BROKER_PASSWORD")
                .isEqualTo(resolved(e.get("YK_BROKER_PASSWORD")));
        assertThat(hub.mail().embedded()).as("yk.mail.embedded from YK_MAIL_EMBEDDED").isFalse();
        assertThat(hub.mail().smtpHost()).as("yk.mail.smtp-host from YK_MAIL_SMTP_HOST").isEqualTo(e.get("YK_MAIL_SMTP_HOST"));
        assertThat(hub.mail().smtpPort()).as("yk.mail.smtp-port from YK_MAIL_SMTP_PORT")
                .isEqualTo(Integer.parseInt(e.get("YK_MAIL_SMTP_PORT")));
        assertThat(hub.mail().imapHost()).as("yk.mail.imap-host from YK_MAIL_IMAP_HOST").isEqualTo(e.get("YK_MAIL_IMAP_HOST"));
        assertThat(hub.mail().imapPort()).as("yk.mail.imap-port from YK_MAIL_IMAP_PORT")
                .isEqualTo(Integer.parseInt(e.get("YK_MAIL_IMAP_PORT")));
        assertThat(hub.mail().tokenSecret()).as("yk.mail.token-secret from YK_MAIL_TOKEN_SECRET")
                .isEqualTo(resolved(e.get("YK_MAIL_TOKEN_SECRET")));
        assertThat(hub.dataDir()).as("yk.data-dir from YK_DATA_DIR").isEqualTo(Path.of(e.get("YK_DATA_DIR")));
        assertThat(hub.security().users()).as("yk.security.users from YK_SECURITY_USERS_<n>_*")
                .extracting(HubProperties.Security.User::name, HubProperties.Security.User::role)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(e.get("YK_SECURITY_USERS_0_NAME"), e.get("YK_SECURITY_USERS_0_ROLE")),
                        org.assertj.core.groups.Tuple.tuple(e.get("YK_SECURITY_USERS_1_NAME"), e.get("YK_SECURITY_USERS_1_ROLE")));
        assertThat(hub.security().users()).as("yk.security.users[*].password: set from the environment, never the defaults")
                .allSatisfy(u -> assertThat(u.password()).startsWith("<").isNotEqualTo(u.name()));
        assertThat(binder.bind("spring.datasource.url", String.class).orElse(null))
                .as("spring.datasource.url from SPRING_DATASOURCE_URL").isEqualTo(e.get("SPRING_DATASOURCE_URL"));
    }

    @Test
    @DisplayName("hub sets the external broker, database and mail server, the data directory and two HTTP users")
    void hubSetsTheProductionSettings() {
        Map<String, String> env = environment("hub");
        assertThat(env).as("service hub, environment").containsKeys(
                "YK_BROKER_EMBEDDED", "YK_BROKER_URL", "YK_BROKER_USER", "YK_BROKER_PASSWORD",
                "SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD",
                "YK_MAIL_EMBEDDED", "YK_MAIL_SMTP_HOST", "YK_MAIL_SMTP_PORT", "YK_MAIL_IMAP_HOST", "YK_MAIL_IMAP_PORT",
                "YK_MAIL_TOKEN_SECRET", "YK_DATA_DIR", "SERVER_ADDRESS",
                "YK_SECURITY_USERS_0_NAME", "YK_SECURITY_USERS_0_PASSWORD", "YK_SECURITY_USERS_0_ROLE",
                "YK_SECURITY_USERS_1_NAME", "YK_SECURITY_USERS_1_PASSWORD", "YK_SECURITY_USERS_1_ROLE");
        assertThat(env.get("YK_BROKER_EMBEDDED")).as("service hub, YK_BROKER_EMBEDDED").isEqualTo("false");
        assertThat(env.get("YK_MAIL_EMBEDDED")).as("service hub, YK_MAIL_EMBEDDED").isEqualTo("false");
        assertThat(env.get("YK_DATA_DIR")).as("service hub, YK_DATA_DIR: the image's data volume").isEqualTo("/var/lib/yekuo");
        assertThat(env.get("YK_SECURITY_USERS_0_ROLE") + "," + env.get("YK_SECURITY_USERS_1_ROLE"))
                .as("service hub, YK_SECURITY_USERS_<n>_ROLE").isEqualTo("REP,VIEWER");
    }

    // ---------------------------------------------------------------- URLs and accounts agree with the services

    @Test
    @DisplayName("the broker URL fails over between the artemis and artemis-backup services, on ports they listen on")
    void brokerUrlPointsAtTheArtemisPair() {
        String url = environment("hub").get("YK_BROKER_URL");
        Matcher failover = Pattern.compile("^\\((tcp://[^,)]+),(tcp://[^,)]+)\\)\\?(.*)$").matcher(url);
        assertThat(failover.matches()).as("service hub, YK_BROKER_URL %s: (tcp://live,tcp://backup)?ha=true&...", url).isTrue();
        assertThat(failover.group(3)).as("service hub, YK_BROKER_URL options").contains("ha=true").contains("reconnectAttempts=-1");
        List<String> pair = List.of("artemis", "artemis-backup");
        for (int i = 0; i < 2; i++) {
            URI broker = URI.create(failover.group(i + 1));
            assertThat(broker.getHost()).as("service hub, YK_BROKER_URL broker %d", i + 1).isEqualTo(pair.get(i));
            assertThat(broker.getPort()).as("service %s: its acceptor (61616, the image's default)", pair.get(i)).isEqualTo(61616);
        }
        // the URL the cluster scripts give the hub nodes has the same shape
        assertThat(readUnchecked("deploy/cluster/hub.sh")).as("deploy/cluster/hub.sh: the failover URL")
                .contains("YK_BROKER_URL=\"${YK_BROKER_URL:-(tcp://127.0.0.1:$YKC_ARTEMIS_LIVE_PORT,tcp://127.0.0.1:$YKC_ARTEMIS_BACKUP_PORT)?ha=true&reconnectAttempts=-1}\"");
    }

    @Test
    @DisplayName("the JDBC URL's host, port and database are the postgres service, its port and its POSTGRES_DB")
    void jdbcUrlPointsAtPostgres() {
        String jdbc = environment("hub").get("SPRING_DATASOURCE_URL");
        assertThat(jdbc).as("service hub, SPRING_DATASOURCE_URL").startsWith("jdbc:postgresql://");
        URI url = URI.create(jdbc.substring("jdbc:".length()));
        Map<String, String> postgres = environment("postgres");
        int port = Integer.parseInt(postgres.getOrDefault("PGPORT", "5432"));
        assertThat(url.getHost()).as("service hub, SPRING_DATASOURCE_URL host").isEqualTo("postgres");
        assertThat(url.getPort()).as("service hub, SPRING_DATASOURCE_URL port: postgres listens on %s", port).isEqualTo(port);
        assertThat(postgres.get("POSTGRES_DB")).as("service postgres, POSTGRES_DB").isNotBlank();
        assertThat(url.getPath()).as("service hub, SPRING_DATASOURCE_URL database: service postgres, POSTGRES_DB")
                .isEqualTo("/" + postgres.get("POSTGRES_DB"));
    }

    @Test
    @DisplayName("SMTP and IMAP hosts are the mail service, built from deploy/mail (the cluster's mail.sh), on its TLS ports")
    void mailSettingsPointAtTheMailService() throws IOException {
        Map<String, String> env = environment("hub");
        Map<?, ?> build = (Map<?, ?>) service("mail").get("build");
        assertThat(build).as("service mail, build").isNotNull();
        assertThat(String.valueOf(build.get("dockerfile"))).as("service mail, build.dockerfile").isEqualTo("deploy/mail/Dockerfile");
        String dockerfile = read("deploy/mail/Dockerfile");
        assertThat(dockerfile).as("deploy/mail/Dockerfile: the script the cluster runs")
                .contains("COPY deploy/mail/mail.sh").contains("COPY deploy/cluster/env.sh").contains("mail.sh\", \"run\"");
        Map<String, Integer> imagePorts = new LinkedHashMap<>();
        Matcher m = Pattern.compile("YKC_(SMTPS|IMAPS|SMTP|IMAP)_PORT=(\\d+)").matcher(dockerfile);
        while (m.find()) {
            imagePorts.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        assertThat(env.get("YK_MAIL_SMTP_SECURITY")).as("service hub: implicit TLS to the mail service").isEqualTo("tls");
        assertThat(env.get("YK_MAIL_IMAP_SECURITY")).as("service hub: implicit TLS to the mail service").isEqualTo("tls");
        assertThat(env.get("YK_MAIL_TRUST_STORE")).as("service hub: the mail service's certificate, from its volume")
                .isEqualTo("/yk-mail/mail/tls/cert.pem");
        assertThat(service("hub").get("volumes").toString()).contains("mail-data:/yk-mail:ro");
        for (String protocol : List.of("SMTP", "IMAP")) {
            assertThat(env.get("YK_MAIL_" + protocol + "_HOST")).as("service hub, YK_MAIL_%s_HOST", protocol).isEqualTo("mail");
            assertThat(Integer.parseInt(env.get("YK_MAIL_" + protocol + "_PORT")))
                    .as("service hub, YK_MAIL_%s_PORT: the mail image's %sS port", protocol, protocol)
                    .isEqualTo(imagePorts.get(protocol + "S"));
        }
        assertThat(environment("mail").get("HUB_MAIL_PASSWORD")).as("service mail: the hub's mailbox password")
                .isEqualTo("${HUB_MAIL_PASSWORD:?set HUB_MAIL_PASSWORD in .env}");
    }

    @Test
    @DisplayName("no GreenMail anywhere: the mail server asks every client to log in, and only TLS ports are published")
    void noUnauthenticatedMailServer() throws IOException {
        for (String name : services.keySet()) {
            assertThat(String.valueOf(service(name).get("image")) + service(name).get("environment"))
                    .as("service %s: GreenMail (no authentication) is for tests only", name).doesNotContainIgnoringCase("greenmail");
        }
        String script = read("deploy/mail/mail.sh");
        assertThat(script).as("deploy/mail/mail.sh: Postfix refuses anyone not logged in")
                .contains("smtpd_relay_restrictions = permit_sasl_authenticated, reject")
                .contains("smtpd_recipient_restrictions = permit_sasl_authenticated, reject")
                .contains("disable_plaintext_auth = yes");
        assertThat(publishedContainerPorts("mail")).as("service mail, ports: implicit TLS only").containsOnly(465, 993);
    }

    @Test
    @DisplayName("the datasource account is the same ${...} variables postgres is created with")
    void datasourceAccountIsPostgresAccount() {
        Map<String, String> hub = environment("hub");
        Map<String, String> postgres = environment("postgres");
        assertSameVariable("SPRING_DATASOURCE_USERNAME", hub, "postgres", "POSTGRES_USER", postgres);
        assertSameVariable("SPRING_DATASOURCE_PASSWORD", hub, "postgres", "POSTGRES_PASSWORD", postgres);
    }

    @Test
    @DisplayName("the broker account is the same ${...} variables artemis is created with")
    void brokerAccountIsArtemisAccount() {
        Map<String, String> hub = environment("hub");
        Map<String, String> artemis = environment("artemis");
        assertSameVariable("YK_BROKER_USER", hub, "artemis", "ARTEMIS_USER", artemis);
        assertSameVariable("YK_BROKER_PASSWORD", hub, "artemis", "ARTEMIS_PASSWORD", artemis);
    }

    @Test
    @DisplayName("artemis gets the hub's four anycast queues and a billing account from deploy/artemis")
    void artemisHasTheHubsQueuesAndABillingAccount() throws IOException {
        Map<String, Object> artemis = service("artemis");
        assertThat(String.valueOf(artemis.get("volumes"))).as("service artemis, volumes: mounts deploy/artemis")
                .contains("./deploy/artemis:/yk-artemis");
        assertThat(environment("artemis").get("JAVA_ARGS_APPEND")).as("service artemis, JAVA_ARGS_APPEND")
                .contains("-Dbroker.properties=");
        assertThat(environment("artemis")).as("service artemis, environment").containsKey("BILLING_BROKER_PASSWORD");
        String properties = read("deploy/artemis/broker.properties");
        for (String queue : List.of(EmbeddedBroker.APPLICATIONS, EmbeddedBroker.EVENTS, EmbeddedBroker.STATUS, EmbeddedBroker.DLQ)) {
            assertThat(properties).as("deploy/artemis/broker.properties: queue %s, anycast", queue)
                    .contains("addressConfigurations.\"" + queue + "\".routingTypes=ANYCAST")
                    .contains("addressConfigurations.\"" + queue + "\".queueConfigs.\"" + queue + "\".routingType=ANYCAST");
        }
        assertThat(read("deploy/artemis/entrypoint.sh")).as("deploy/artemis/entrypoint.sh: adds the billing account")
                .contains("BILLING_BROKER_PASSWORD").contains("artemis-users.properties").contains("artemis-roles.properties");
    }

    // ---------------------------------------------------------------- secrets

    @Test
    @DisplayName("no literal secret: every *PASSWORD* or *SECRET* variable of every service is a ${VAR} or ${VAR:?message}")
    void noLiteralSecrets() {
        List<String> literal = new ArrayList<>();
        for (String name : services.keySet()) {
            environment(name).forEach((key, value) -> {
                String upper = key.toUpperCase(Locale.ROOT);
                if ((upper.contains("PASSWORD") || upper.contains("SECRET")) && !SUBSTITUTION.matcher(value).matches()) {
                    literal.add("service " + name + ", " + key + "=" + value);
                }
            });
        }
        assertThat(literal).as("secrets written in docker-compose.yml (use ${VAR:?message}, no default)").isEmpty();
    }

    // ---------------------------------------------------------------- HTTP

    @Test
    @DisplayName("hub publishes no host port (--scale hub=2 works): the proxy publishes 8080 and forwards to hub:8080")
    void hubIsBehindTheProxy() throws IOException {
        assertThat(service("hub")).as("service hub: no fixed host port").doesNotContainKey("ports");
        assertThat(containerPorts("hub")).as("service hub, expose").contains(8080);
        assertThat(environment("hub").get("SERVER_ADDRESS")).as("service hub, SERVER_ADDRESS").isEqualTo("0.0.0.0");
        assertThat(publishedContainerPorts("proxy")).as("service proxy, ports").contains(8080);
        assertThat(String.valueOf(service("proxy").get("volumes"))).as("service proxy, volumes")
                .contains("./deploy/proxy/nginx.conf:/etc/nginx/nginx.conf");
        assertThat(read("deploy/proxy/nginx.conf")).as("deploy/proxy/nginx.conf").contains("http://hub:8080");
    }

    @Test
    @DisplayName("hub runs the prod profile, is healthy when ready, and gets more time to stop than Camel's shutdown")
    void hubRunsLikeTheTestedNodes() {
        Map<String, Object> hub = service("hub");
        assertThat(environment("hub").get("SPRING_PROFILES_ACTIVE")).as("service hub, SPRING_PROFILES_ACTIVE").isEqualTo("prod");
        assertThat(String.valueOf(((Map<?, ?>) hub.get("healthcheck")).get("test"))).as("service hub, healthcheck")
                .contains("/actuator/health/readiness");
        assertThat(seconds(String.valueOf(hub.get("stop_grace_period")))).as("service hub, stop_grace_period (Camel: 45 s)")
                .isGreaterThan(45);
        for (String name : services.keySet()) {
            assertThat(service(name)).as("service %s, healthcheck (or the image's HEALTHCHECK)", name)
                    .satisfiesAnyOf(s -> assertThat(s).containsKey("healthcheck"), s -> assertThat(name).isIn("mail", "hub"));
        }
    }

    // ---------------------------------------------------------------- monitoring

    @Test
    @DisplayName("prometheus scrapes the hub service's replicas as viewer with deploy/prometheus; grafana reads it with deploy/grafana")
    @SuppressWarnings("unchecked")
    void monitoringWatchesTheHub() throws IOException {
        assertThat(String.valueOf(service("prometheus").get("volumes"))).as("service prometheus, volumes")
                .contains("./deploy/prometheus:/etc/prometheus");
        Map<String, Object> prometheus = new Yaml().load(read("deploy/prometheus/prometheus.yml"));
        Map<String, Object> job = ((List<Map<String, Object>>) prometheus.get("scrape_configs")).get(0);
        Map<String, Object> auth = (Map<String, Object>) job.get("basic_auth");
        assertThat(auth.get("username")).as("deploy/prometheus/prometheus.yml: a hub user").isEqualTo(environment("hub").get("YK_SECURITY_USERS_1_NAME"));
        assertThat(String.valueOf(service("prometheus").get("secrets"))).as("service prometheus, secrets: the password file")
                .contains("target=" + Path.of(String.valueOf(auth.get("password_file"))).getFileName());
        assertThat(String.valueOf(((Map<String, Object>) compose.get("secrets")).get("hub-viewer-password")))
                .as("secret hub-viewer-password: the viewer's password").contains("HUB_VIEWER_PASSWORD");
        assertThat(environment("hub").get("YK_SECURITY_USERS_1_PASSWORD")).contains("HUB_VIEWER_PASSWORD");
        Map<String, Object> dns = ((List<Map<String, Object>>) job.get("dns_sd_configs")).get(0);
        assertThat(dns.get("names")).as("scraped: the hub service").isEqualTo(List.of("hub"));
        assertThat(containerPorts("hub")).as("on its port").contains((Integer) dns.get("port"));
        assertThat(String.valueOf(service("grafana").get("volumes"))).as("service grafana, volumes")
                .contains("./deploy/grafana/provisioning:/etc/grafana/provisioning")
                .contains("./deploy/grafana/dashboards:/var/lib/grafana/dashboards");
        assertThat(read("deploy/grafana/provisioning/datasources/prometheus.yml")).as("Grafana's data source: the prometheus service")
                .contains("url: http://prometheus:9090");
        assertThat(containerPorts("prometheus")).contains(9090);
        assertThat(read("deploy/grafana/provisioning/dashboards/yekuo.yml")).contains("path: /var/lib/grafana/dashboards");
    }

    // ---------------------------------------------------------------- compose = the tested topology (deploy/cluster)

    @Test
    @DisplayName("the Artemis image is the distribution version mvn -Pcluster downloads and deploy/cluster runs")
    void artemisVersionIsTheTestedOne() throws IOException {
        Matcher pom = Pattern.compile("<yk\\.cluster\\.artemis\\.version>([^<]+)<").matcher(read("pom.xml"));
        assertThat(pom.find()).as("pom.xml: yk.cluster.artemis.version").isTrue();
        String version = pom.group(1);
        for (String name : List.of("artemis", "artemis-backup")) {
            assertThat(String.valueOf(service(name).get("image"))).as("service %s, image", name)
                    .isEqualTo("apache/activemq-artemis:" + version);
        }
        assertThat(read("deploy/cluster/env.sh")).as("deploy/cluster/env.sh: the distribution it runs")
                .contains("YKC_ARTEMIS_VERSION:=" + version + "}");
    }

    @Test
    @DisplayName("both brokers mount deploy/artemis and apply broker.properties + ha-<role>.properties, as artemis.sh does")
    void brokersUseTheTestedFiles() throws IOException {
        Map<String, String> roles = Map.of("artemis", "live", "artemis-backup", "backup");
        for (String name : roles.keySet()) {
            assertThat(String.valueOf(service(name).get("volumes"))).as("service %s, volumes", name).contains("./deploy/artemis:/yk-artemis:ro");
            assertThat(environment(name).get("ARTEMIS_ROLE")).as("service %s, ARTEMIS_ROLE", name).isEqualTo(roles.get(name));
            assertThat(ROOT.resolve("deploy/artemis/ha-" + roles.get(name) + ".properties")).exists();
        }
        String entrypoint = read("deploy/artemis/entrypoint.sh");
        String script = read("deploy/cluster/artemis.sh");
        assertThat(entrypoint).contains("cat /yk-artemis/broker.properties \"/yk-artemis/ha-${ARTEMIS_ROLE}.properties\"");
        assertThat(script).contains("cat \"$YKC_REPO/deploy/artemis/broker.properties\" \"$YKC_REPO/deploy/artemis/ha-$role.properties\"");
        for (String option : List.of("--clustered", "--staticCluster", "--cluster-user yk-cluster", "--cluster-password")) {
            assertThat(entrypoint).as("entrypoint.sh creates the instance with %s", option).contains(option);
            assertThat(script).as("artemis.sh creates the instance with %s", option).contains(option);
        }
    }

    @Test
    @DisplayName("the hub nodes of deploy/cluster/hub.sh get the same variables as compose's hub service")
    void clusterNodesGetTheComposeVariables() throws IOException {
        Set<String> script = new TreeSet<>();
        Matcher m = Pattern.compile("export ((?:YK|SPRING|SERVER)_[A-Z0-9_]+)=").matcher(read("deploy/cluster/hub.sh"));
        while (m.find()) {
            script.add(m.group(1));
        }
        Set<String> compose = new TreeSet<>(environment("hub").keySet());
        // the port is per node there; compose has one per container (8080, the default)
        script.remove("SERVER_PORT");
        assertThat(script).as("deploy/cluster/hub.sh exports = compose hub environment").isEqualTo(compose);
    }

    private static long seconds(String duration) {
        Matcher m = Pattern.compile("^(\\d+)s$").matcher(duration);
        return m.matches() ? Long.parseLong(m.group(1)) : Pattern.compile("^(\\d+)m$").matcher(duration).matches()
                ? 60 * Long.parseLong(duration.substring(0, duration.length() - 1)) : -1;
    }

    private static String readUnchecked(String file) {
        try {
            return read(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- Dockerfile

    @Test
    @DisplayName("Dockerfile builds with Maven on JDK 17 and runs the pom's jar on a JRE 17")
    void dockerfileIsMultiStage() throws IOException {
        List<String> from = instructions("FROM");
        assertThat(from).as("Dockerfile FROM: a build stage and a runtime stage").hasSizeGreaterThanOrEqualTo(2);
        assertThat(from.get(0)).as("Dockerfile, first FROM").contains("maven").contains("17");
        assertThat(from.get(from.size() - 1)).as("Dockerfile, last FROM").contains("17-jre");
        assertThat(instructions("RUN")).as("Dockerfile RUN").anyMatch(r -> r.contains("mvn -B -DskipTests package"));
        String artifactId = pomArtifactId();
        assertThat(instructions("COPY")).as("Dockerfile COPY: the jar of the pom (%s-*.jar) from the build stage", artifactId)
                .anyMatch(c -> c.startsWith("--from=") && c.contains("/" + artifactId + "-*.jar"));
    }

    @Test
    @DisplayName("Dockerfile installs fonts-arphic-uming and fonts-wqy-zenhei without recommends and cleans the lists")
    void dockerfileInstallsTheChineseFonts() {
        assertThat(instructions("RUN")).as("Dockerfile RUN apt-get install")
                .anyMatch(r -> r.contains("apt-get install") && r.contains("--no-install-recommends")
                        && r.contains("fonts-arphic-uming") && r.contains("fonts-wqy-zenhei")
                        && r.contains("rm -rf /var/lib/apt/lists"));
    }

    @Test
    @DisplayName("Dockerfile gives the build stage routes/, which the pom packages into the jar as classpath:routes/*.yaml")
    void dockerfilePackagesRoutes() throws IOException {
        assertThat(read("src/main/resources/application.yaml")).as("application.yaml camel.main.routes-include-pattern")
                .contains("routes-include-pattern: classpath:routes/*.yaml");
        assertThat(read("pom.xml")).as("pom.xml resource routes/ with targetPath routes")
                .containsPattern("<directory>routes</directory>\\s*<targetPath>routes</targetPath>");
        assertThat(instructions("COPY")).as("Dockerfile COPY routes ./routes in the build stage")
                .anyMatch(c -> c.matches("routes/?\\s+\\./routes/?"));
        String dockerfile = read("Dockerfile");
        assertThat(dockerfile.indexOf("COPY routes")).as("routes copied before the package step")
                .isPositive().isLessThan(dockerfile.indexOf("-DskipTests package"));
        assertThat(ROOT.resolve("routes")).as("routes/ in the repository").isDirectory();
    }

    @Test
    @DisplayName("Dockerfile runs as a non-root user")
    void dockerfileRunsAsNonRoot() {
        List<String> users = instructions("USER");
        assertThat(users).as("Dockerfile USER").isNotEmpty();
        String user = users.get(users.size() - 1).split(":")[0];
        assertThat(user).as("Dockerfile, last USER").isNotIn("root", "0");
    }

    @Test
    @DisplayName("Dockerfile starts the JVM with -Dmail.mime.decodetext.strict=false")
    void dockerfileSetsLenientMimeDecoding() {
        List<String> start = new ArrayList<>(instructions("ENTRYPOINT"));
        start.addAll(instructions("CMD"));
        start.addAll(instructions("ENV"));
        assertThat(start).as("Dockerfile ENTRYPOINT/CMD/ENV").anyMatch(s -> s.contains("-Dmail.mime.decodetext.strict=false"));
    }

    @Test
    @DisplayName("Dockerfile prepares the launch with deploy/class-data-sharing.sh and starts from the extracted jar with the archive and the compiler directives")
    void dockerfileStartsWithClassDataSharing() throws IOException {
        Path script = ROOT.resolve("deploy/class-data-sharing.sh");
        assertThat(script).as("deploy/class-data-sharing.sh").exists();
        assertThat(Files.isExecutable(script)).as("deploy/class-data-sharing.sh is executable").isTrue();
        assertThat(ROOT.resolve("deploy/jit-directives.json")).as("deploy/jit-directives.json").exists();
        assertThat(read("deploy/class-data-sharing.sh")).as("the script puts the directives beside the jar")
                .contains("cp \"$(dirname \"$0\")/jit-directives.json\" \"$dest/jit-directives.json\"");
        assertThat(read(".dockerignore")).as(".dockerignore lets the script and the directives into the build context")
                .contains("!deploy/class-data-sharing.sh").contains("!deploy/jit-directives.json");
        assertThat(instructions("COPY")).as("Dockerfile COPY of the script and the directives")
                .anyMatch(c -> c.startsWith("deploy/class-data-sharing.sh deploy/jit-directives.json "));
        assertThat(instructions("RUN")).as("Dockerfile RUN of the script: extract to /app/hub and train")
                .anyMatch(r -> r.contains("class-data-sharing.sh /app/yekuo-hub.jar /app/hub"));
        assertThat(String.join(" ", instructions("ENTRYPOINT"))).as("Dockerfile ENTRYPOINT")
                .contains("-XX:SharedArchiveFile=/app/hub/yekuo-hub.jsa")
                .contains("-Xshare:auto")
                .contains("-XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile=/app/hub/jit-directives.json")
                .doesNotContain("TieredStopAtLevel")
                .contains("-jar /app/hub/yekuo-hub.jar");
    }

    @Test
    @DisplayName("Dockerfile sets YK_DATA_DIR=/var/lib/yekuo as a volume, SERVER_ADDRESS=0.0.0.0, exposes 8080, checks /actuator/health")
    void dockerfileRuntimeSettings() {
        String env = String.join(" ", instructions("ENV"));
        assertThat(env).as("Dockerfile ENV").contains("YK_DATA_DIR=/var/lib/yekuo").contains("SERVER_ADDRESS=0.0.0.0");
        assertThat(String.join(" ", instructions("VOLUME"))).as("Dockerfile VOLUME").contains("/var/lib/yekuo");
        assertThat(instructions("EXPOSE")).as("Dockerfile EXPOSE").anyMatch(e -> List.of(e.split("\\s+")).contains("8080"));
        assertThat(instructions("HEALTHCHECK")).as("Dockerfile HEALTHCHECK").anyMatch(h -> h.contains("/actuator/health"));
    }

    // ================================================================ helpers

    private static String read(String path) throws IOException {
        Path file = ROOT.resolve(path);
        assertThat(file).as(path).exists();
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) {
        assertThat(services).as("services of docker-compose.yml").containsKey(name);
        return (Map<String, Object>) services.get(name);
    }

    /** A service's environment, from either the map or the list ({@code KEY=value}) form. */
    private static Map<String, String> environment(String name) {
        Object env = service(name).get("environment");
        Map<String, String> result = new LinkedHashMap<>();
        if (env instanceof Map<?, ?> map) {
            map.forEach((k, v) -> result.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        } else if (env instanceof List<?> list) {
            for (Object entry : list) {
                String s = String.valueOf(entry);
                int eq = s.indexOf('=');
                result.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
            }
        }
        return result;
    }

    /** Container ports of a service: published ({@code ports}, short or long syntax) and {@code expose}. */
    private static Set<Integer> containerPorts(String name) {
        Set<Integer> ports = publishedContainerPorts(name);
        Object expose = service(name).get("expose");
        if (expose instanceof List<?> list) {
            list.forEach(p -> ports.add(Integer.parseInt(String.valueOf(p).replaceAll("/.*", ""))));
        }
        return ports;
    }

    private static Set<Integer> publishedContainerPorts(String name) {
        Set<Integer> ports = new LinkedHashSet<>();
        Object declared = service(name).get("ports");
        if (declared instanceof List<?> list) {
            for (Object p : list) {
                if (p instanceof Map<?, ?> m) {
                    ports.add(Integer.parseInt(String.valueOf(m.get("target"))));
                } else {
                    String s = String.valueOf(p).replaceAll("/.*", "");
                    ports.add(Integer.parseInt(s.substring(s.lastIndexOf(':') + 1)));
                }
            }
        }
        return ports;
    }

    /** Each published container port of a service and the host address it is bound to (0.0.0.0 when none is given). */
    private static Map<Integer, String> publishedHostAddresses(String name) {
        Map<Integer, String> hosts = new LinkedHashMap<>();
        Object declared = service(name).get("ports");
        if (declared instanceof List<?> list) {
            for (Object p : list) {
                if (p instanceof Map<?, ?> m) {
                    hosts.put(Integer.parseInt(String.valueOf(m.get("target"))),
                            m.get("host_ip") == null ? "0.0.0.0" : String.valueOf(m.get("host_ip")));
                } else {
                    String s = String.valueOf(p).replaceAll("/.*", "");
                    int target = Integer.parseInt(s.substring(s.lastIndexOf(':') + 1));
                    String rest = s.substring(0, Math.max(0, s.lastIndexOf(':')));
                    // HOST:PUBLISHED:TARGET (IPv6 hosts in brackets); PUBLISHED:TARGET or TARGET bind every interface
                    int hostEnd = rest.lastIndexOf(':');
                    hosts.put(target, hostEnd < 0 ? "0.0.0.0" : rest.substring(0, hostEnd));
                }
            }
        }
        return hosts;
    }

    private static void assertSameVariable(String hubKey, Map<String, String> hub, String service, String key, Map<String, String> env) {
        String hubVariable = variable(hub.get(hubKey));
        String serviceVariable = variable(env.get(key));
        assertThat(serviceVariable).as("service %s, %s: a ${...} variable (value %s)", service, key, env.get(key)).isNotNull();
        assertThat(hubVariable).as("service hub, %s: the same ${...} variable as service %s, %s (value %s)",
                hubKey, service, key, hub.get(hubKey)).isEqualTo(serviceVariable);
    }

    private static String variable(String value) {
        Matcher m = SUBSTITUTION.matcher(value == null ? "" : value);
        return m.matches() ? m.group(1) : null;
    }

    /** A compose value with its substitution resolved to a recognisable stand-in: {@code ${X:?..}} = {@code <X>}. */
    private static String resolved(String value) {
        String variable = variable(value);
        return variable == null ? value : "<" + variable + ">";
    }

    /** An environment variable as the property it names: lower case, {@code _} = {@code .}, {@code _0_} = {@code [0]}. */
    static String toProperty(String variable) {
        StringBuilder property = new StringBuilder();
        for (String part : variable.toLowerCase(Locale.ROOT).split("_")) {
            if (part.matches("\\d+")) {
                property.append('[').append(part).append(']');
            } else {
                property.append(property.length() == 0 ? "" : ".").append(part);
            }
        }
        return property.toString();
    }

    /**
     * The environment variable names Spring Boot binds to a property (SystemEnvironmentPropertyMapper): dots and
     * indexes become {@code _}, upper case, and a dash is either dropped or (legacy form) an underscore. Indexes
     * are {@code *} on both sides, see {@link #indexless(String)}.
     */
    static Set<String> environmentNames(String property) {
        String indexed = property.replaceAll("\\[[^]]*]", ".*");
        Set<String> names = new LinkedHashSet<>();
        names.add(indexed.replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT));
        names.add(indexed.replace('-', '_').replace('.', '_').toUpperCase(Locale.ROOT));
        return names;
    }

    static String indexless(String variable) {
        return variable.replaceAll("_\\d+(?=_|$)", "_*");
    }

    /** Flattened keys of a YAML document: {@code a.b-c}, lists as {@code a[0].b}. */
    private static void flatten(String prefix, Object node, Set<String> keys) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, keys));
        } else if (node instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map) {
            for (int i = 0; i < list.size(); i++) {
                flatten(prefix + "[" + i + "]", list.get(i), keys);
            }
        } else {
            keys.add(prefix);
        }
    }

    /** Property names of a {@code @ConfigurationProperties} record, in kebab case, lists of records as {@code [*]}. */
    private static void properties(String prefix, Class<?> type, Set<String> keys) {
        for (RecordComponent component : type.getRecordComponents()) {
            String key = prefix + "." + component.getName().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
            Type generic = component.getGenericType();
            if (component.getType().isRecord()) {
                properties(key, component.getType(), keys);
            } else if (generic instanceof ParameterizedType p && List.class.equals(p.getRawType())
                    && p.getActualTypeArguments()[0] instanceof Class<?> element && element.isRecord()) {
                properties(key + "[*]", element, keys);
            } else {
                keys.add(key);
            }
        }
    }

    /** Dockerfile logical lines (continuations joined, comments and parser directives dropped). */
    private static List<String> parseDockerfile(String text) {
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\\R")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
                continue;
            }
            boolean continues = trimmed.endsWith("\\");
            current.append(continues ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
            if (!continues) {
                result.add(current.toString().trim().replaceAll("\\s+", " "));
                current.setLength(0);
            }
        }
        return result;
    }

    /** Arguments of the Dockerfile's instructions of one kind, in order. */
    private static List<String> instructions(String keyword) {
        return dockerfile.stream()
                .filter(i -> i.regionMatches(true, 0, keyword + " ", 0, keyword.length() + 1))
                .map(i -> i.substring(keyword.length() + 1).trim())
                .collect(Collectors.toList());
    }

    private static String pomArtifactId() throws IOException {
        String pom = read("pom.xml").replaceAll("(?s)<parent>.*?</parent>", "");
        Matcher m = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(pom);
        assertThat(m.find()).as("pom.xml artifactId").isTrue();
        return m.group(1);
    }
}
