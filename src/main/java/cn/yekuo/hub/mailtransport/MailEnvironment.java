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
 * address), the protocols ({@code imaps}/{@code smtps} when {@code yk.mail.ssl}), intervals in milliseconds and the
 * reply reader's scheduler ({@code yk.mail.reader}).
 */
public class MailEnvironment implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Binder binder = Binder.get(environment);
        boolean embedded = binder.bind("yk.mail.embedded", Boolean.class).orElse(true);
        boolean ssl = binder.bind("yk.mail.ssl", Boolean.class).orElse(false);
        String address = binder.bind("yk.mail.hub-address", String.class).orElse("hub@yekuo.local");
        String user = nonBlank(binder.bind("yk.mail.hub-user", String.class).orElse(null), address);
        String password = nonBlank(binder.bind("yk.mail.hub-password", String.class).orElse(null), embedded ? user : "");
        Map<String, Object> derived = new HashMap<>();
        derived.put("yk.mail-endpoint.user", user);
        derived.put("yk.mail-endpoint.password", password);
        derived.put("yk.mail-endpoint.imap", ssl ? "imaps" : "imap");
        derived.put("yk.mail-endpoint.smtp", ssl ? "smtps" : "smtp");
        derived.put("yk.mail-endpoint.poll-millis", millis(binder, "yk.mail.poll-interval", "5s"));
        derived.put("yk.mail-endpoint.relay-millis", millis(binder, "yk.mail.relay-interval", "1s"));
        // cluster: the reader's polls are firings of the clustered Quartz store (one node at a time), see docs/mail.md
        boolean cluster = "cluster".equalsIgnoreCase(binder.bind("yk.mail.reader", String.class).orElse("local").trim());
        derived.put("yk.mail-endpoint.reader-scheduler", cluster ? "#clusteredReplyReader" : "none");
        environment.getPropertySources().addLast(new MapPropertySource("yk-mail-endpoint", derived));
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
