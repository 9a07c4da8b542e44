package cn.yekuo.hub.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Profiles;

/**
 * The {@code prod} profile refuses to start on any embedded part or missing secret: an external broker
 * ({@code yk.broker.embedded=false}, {@code yk.broker.url}, {@code yk.broker.password}), PostgreSQL
 * ({@code spring.datasource.*}), real mail servers with protected connections ({@code yk.mail.*}), the hand-off token
 * secret, the status link secret, the seal keystore of the customer documents and the dashboard's users without the embedded defaults. Checked on the environment before any bean is made
 * (no broker, database or mail server is touched), and every problem is listed at once, each with the key and its
 * environment variable, never a value. docs/operations.md describes each setting.
 */
public class ProductionSettings implements EnvironmentPostProcessor, Ordered {

    public static final String PROFILE = "prod";

    /** The hand-off token secret's minimum length in prod (TokenConfiguration only warns below it elsewhere). */
    static final int MIN_TOKEN_SECRET = 32;

    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "::1", "[::1]", "localhost");

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after the configuration files, configtree and *_FILE secrets are in
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.acceptsProfiles(Profiles.of(PROFILE))) {
            return;
        }
        List<String> problems = problems(Binder.get(environment));
        if (!problems.isEmpty()) {
            throw new StartupProblem("The prod profile refuses to start (" + problems.size() + " setting"
                    + (problems.size() == 1 ? "" : "s") + " to correct; values not shown):\n    - "
                    + String.join("\n    - ", problems),
                    "Set each named setting (environment variable, a *_FILE variable for a secret, or a file of the"
                            + " configtree in YK_SECRETS_DIR); docs/operations.md lists them. Without the prod profile"
                            + " the hub runs on its embedded default.");
        }
    }

    static List<String> problems(Binder binder) {
        List<String> problems = new ArrayList<>();
        // the broker
        if (binder.bind("yk.broker.embedded", Boolean.class).orElse(true)) {
            problems.add(key("yk.broker.embedded") + " must be false: prod runs on an external Artemis broker");
        }
        String brokerUrl = text(binder, "yk.broker.url");
        if (brokerUrl.isEmpty()) {
            problems.add(key("yk.broker.url") + " is required: the external broker, e.g. tcp://artemis:61616, or a"
                    + " live/backup pair (tcp://a:61616,tcp://b:61616)?ha=true&reconnectAttempts=-1");
        } else if (brokerUrl.toLowerCase(Locale.ROOT).startsWith("vm:")) {
            problems.add(key("yk.broker.url") + " is an in-VM broker: prod needs an external one (tcp://…)");
        }
        requireSecret(binder, problems, "yk.broker.password", "the hub's account on the broker");
        // the database
        String url = text(binder, "spring.datasource.url");
        if (url.isEmpty()) {
            problems.add(key("spring.datasource.url") + " is required: jdbc:postgresql://host:5432/yekuo");
        } else if (!url.startsWith("jdbc:postgresql:")) {
            // only the driver's name is shown: a JDBC URL may carry a password
            String driver = url.startsWith("jdbc:") && url.indexOf(':', 5) > 5 ? url.substring(5, url.indexOf(':', 5)) : "this URL";
            problems.add(key("spring.datasource.url") + " must be a PostgreSQL URL (jdbc:postgresql://host:5432/yekuo),"
                    + " not " + driver + " (H2 is the embedded default only)");
        }
        if (text(binder, "spring.datasource.username").isEmpty()) {
            problems.add(key("spring.datasource.username") + " is required: the hub's database user");
        }
        requireSecret(binder, problems, "spring.datasource.password", "the hub's database password");
        // files every node reads back (documents, raw mails, attachments)
        if (!"database".equalsIgnoreCase(text(binder, "yk.files.store"))) {
            problems.add(key("yk.files.store") + " must be database: documents and mails are read back by every node");
        }
        // the electronic seal of the customer documents: the company's key, never the embedded self-signed one
        if (text(binder, "yk.documents.seal.keystore").isEmpty()) {
            problems.add(key("yk.documents.seal.keystore") + " is required: the PKCS#12 file of the company's seal key and"
                    + " certificate the customer documents are signed with (the embedded default's key is self-signed)");
        }
        requireSecret(binder, problems, "yk.documents.seal.password", "the password of the seal keystore");
        // mail
        if (binder.bind("yk.mail.embedded", Boolean.class).orElse(true)) {
            problems.add(key("yk.mail.embedded") + " must be false: prod uses real SMTP and IMAP servers");
        }
        boolean ssl = binder.bind("yk.mail.ssl", Boolean.class).orElse(false);
        for (String kind : List.of("smtp", "imap")) {
            String host = text(binder, "yk.mail." + kind + "-host");
            if (host.isEmpty()) {
                problems.add(key("yk.mail." + kind + "-host") + " is required: the " + kind.toUpperCase(Locale.ROOT) + " server");
            }
            String security = text(binder, "yk.mail." + kind + "-security").toLowerCase(Locale.ROOT);
            if (security.isEmpty()) {
                security = ssl ? "tls" : "none";
            }
            if (security.equals("none") && !host.isEmpty() && !LOOPBACK.contains(host.toLowerCase(Locale.ROOT))) {
                problems.add(key("yk.mail." + kind + "-security") + " is none for " + kind.toUpperCase(Locale.ROOT)
                        + " server " + host + ": the hub's mail password would cross the network in clear text; use"
                        + " starttls or tls (none only for a server on the same machine: 127.0.0.1, ::1, localhost)");
            }
        }
        requireSecret(binder, problems, "yk.mail.hub-password", "the password of the hub's mailbox");
        String tokenSecret = text(binder, "yk.mail.token-secret");
        if (tokenSecret.isEmpty()) {
            problems.add("yk.mail.token-secret (YK_MAIL_TOKEN_SECRET or YK_MAIL_TOKEN_SECRET_FILE) is required: the HMAC secret of"
                    + " the hand-off tokens, the same on every node (at least " + MIN_TOKEN_SECRET + " random characters)");
        } else if (tokenSecret.length() < MIN_TOKEN_SECRET) {
            problems.add(key("yk.mail.token-secret") + " is shorter than " + MIN_TOKEN_SECRET + " characters");
        } else if (placeholder(tokenSecret)) {
            problems.add(key("yk.mail.token-secret") + PLACEHOLDER);
        }
        // the customers' status links (issue 20): one key on every node, never the one generated into the database
        String statusSecret = text(binder, "yk.status.secret");
        if (statusSecret.isEmpty()) {
            problems.add("yk.status.secret (YK_STATUS_SECRET or YK_STATUS_SECRET_FILE) is required: the HMAC key of the"
                    + " customers' status links, the same on every node (at least " + MIN_TOKEN_SECRET + " random characters)");
        } else if (statusSecret.length() < MIN_TOKEN_SECRET) {
            problems.add(key("yk.status.secret") + " is shorter than " + MIN_TOKEN_SECRET + " characters");
        } else if (placeholder(statusSecret)) {
            problems.add(key("yk.status.secret") + PLACEHOLDER);
        }
        // one reader of the hub's mailbox however many nodes run
        if (!"cluster".equalsIgnoreCase(text(binder, "yk.mail.reader"))) {
            problems.add(key("yk.mail.reader") + " must be cluster: two nodes reading one mailbox stall cases (docs/mail.md)");
        }
        // the dashboard's users
        List<HubProperties.Security.User> users = binder.bind("yk.security.users",
                Bindable.listOf(HubProperties.Security.User.class)).orElse(List.of());
        if (users.isEmpty()) {
            problems.add("yk.security.users (YK_SECURITY_USERS_0_NAME, YK_SECURITY_USERS_0_PASSWORD,"
                    + " YK_SECURITY_USERS_0_ROLE, …) is required: the dashboard's users");
        }
        for (int i = 0; i < users.size(); i++) {
            HubProperties.Security.User u = users.get(i);
            String password = u.password() == null ? "" : u.password();
            if (password.isBlank()) {
                problems.add("yk.security.users[" + i + "].password (YK_SECURITY_USERS_" + i + "_PASSWORD or"
                        + " YK_SECURITY_USERS_" + i + "_PASSWORD_FILE) is required");
            } else if (placeholder(password)) {
                problems.add("yk.security.users[" + i + "].password (YK_SECURITY_USERS_" + i + "_PASSWORD)" + PLACEHOLDER);
            } else if (!password.startsWith("{") && password.equals(u.name())) {
                problems.add("yk.security.users[" + i + "] '" + u.name() + "' has the embedded default password (its"
                        + " name): set YK_SECURITY_USERS_" + i + "_NAME and _PASSWORD (a {bcrypt}… hash is best)");
            }
        }
        return problems;
    }

    private static void requireSecret(Binder binder, List<String> problems, String key, String what) {
        if (text(binder, key).isEmpty()) {
            problems.add(key + " (" + variable(key) + " or " + variable(key) + "_FILE) is required: " + what);
        } else if (placeholder(text(binder, key))) {
            problems.add(key(key) + PLACEHOLDER);
        }
    }

    private static final String PLACEHOLDER = " is still the placeholder of .env.example (change-me…): set a secret of your own";

    /** The placeholders of .env.example are public: a hub started with one has a known secret. */
    private static boolean placeholder(String value) {
        return value.trim().toLowerCase(Locale.ROOT).startsWith("change-me");
    }

    private static String text(Binder binder, String key) {
        return binder.bind(key, String.class).map(String::trim).orElse("");
    }

    /** {@code yk.broker.url (YK_BROKER_URL)}. */
    private static String key(String key) {
        return key + " (" + variable(key) + ")";
    }

    private static String variable(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
