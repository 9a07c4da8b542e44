package cn.yekuo.hub.mailtransport;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Publishes what the mail routes' endpoint URIs need, derived from {@code yk.mail.*}, under
 * {@code yk.mail-endpoint.*}: the login and password of the hub's mailbox with their embedded defaults (the
 * address), the protocols ({@code imaps}/{@code smtps} for implicit TLS), whether the plain protocol is upgraded with
 * STARTTLS ({@code yk.mail.smtp-security}, {@code imap-security}; {@code yk.mail.ssl} is their older shorthand) and
 * intervals in milliseconds and the reply reader's scheduler ({@code yk.mail.reader}).
 */
public class MailEnvironment implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Binder binder = Binder.get(environment);
        boolean embedded = binder.bind("yk.mail.embedded", Boolean.class).orElse(true);
        boolean ssl = binder.bind("yk.mail.ssl", Boolean.class).orElse(false);
        String smtpSecurity = security(binder, "yk.mail.smtp-security", ssl);
        String imapSecurity = security(binder, "yk.mail.imap-security", ssl);
        String address = binder.bind("yk.mail.hub-address", String.class).orElse("hub@yekuo.local");
        String user = nonBlank(binder.bind("yk.mail.hub-user", String.class).orElse(null), address);
        String password = nonBlank(binder.bind("yk.mail.hub-password", String.class).orElse(null), embedded ? user : "");
        Map<String, Object> derived = new HashMap<>();
        derived.put("yk.mail-endpoint.user", user);
        derived.put("yk.mail-endpoint.password", password);
        derived.put("yk.mail-endpoint.imap", imapSecurity.equals("tls") ? "imaps" : "imap");
        derived.put("yk.mail-endpoint.smtp", smtpSecurity.equals("tls") ? "smtps" : "smtp");
        derived.put("yk.mail-endpoint.imap-starttls", imapSecurity.equals("starttls"));
        derived.put("yk.mail-endpoint.smtp-starttls", smtpSecurity.equals("starttls"));
        derived.put("yk.mail-endpoint.poll-millis", millis(binder, "yk.mail.poll-interval", "5s"));
        derived.put("yk.mail-endpoint.relay-millis", millis(binder, "yk.mail.relay-interval", "1s"));
        // cluster: the reader's polls are firings of the clustered Quartz store (one node at a time), see docs/mail.md
        boolean cluster = "cluster".equalsIgnoreCase(binder.bind("yk.mail.reader", String.class).orElse("local").trim());
        derived.put("yk.mail-endpoint.reader-scheduler", cluster ? "#clusteredReplyReader" : "none");
        environment.getPropertySources().addLast(new MapPropertySource("yk-mail-endpoint", derived));
    }

    /** none, starttls or tls (HubProperties.Mail.Security); unset follows yk.mail.ssl. */
    private static String security(Binder binder, String key, boolean ssl) {
        String value = binder.bind(key, String.class).map(v -> v.trim().toLowerCase(java.util.Locale.ROOT)).orElse("");
        return value.isEmpty() ? (ssl ? "tls" : "none") : value;
    }

    private static String nonBlank(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static long millis(Binder binder, String key, String fallback) {
        String text = binder.bind(key, String.class).orElse(fallback);
        Duration d = DurationStyle.detectAndParse(text);
        return Math.max(1, d.toMillis());
    }
}
