package cn.yekuo.hub.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Secrets from files, the {@code *_FILE} convention of Docker and Kubernetes secrets: an environment variable
 * {@code YK_BROKER_PASSWORD_FILE=/run/secrets/broker-password} sets {@code yk.broker.password} (as
 * {@code YK_BROKER_PASSWORD} would) to the file's content, trailing line breaks removed. It applies to variables
 * starting with {@code YK_} or {@code SPRING_} and ending in {@code _PASSWORD_FILE} or {@code _SECRET_FILE} (so
 * {@code YK_TIME_RULES_FILE}, a setting of its own, is left alone). A variable set both ways, or a file that cannot be
 * read, stops the start naming the variable. Values are never logged, only the variables' names.
 */
public class SecretFiles implements EnvironmentPostProcessor, Ordered {

    private final Log log;

    public SecretFiles(DeferredLogFactory logs) {
        this.log = logs.getLog(SecretFiles.class);
    }

    /** Whether an environment variable names a file holding a secret of the hub (YK_…/SPRING_…_PASSWORD_FILE, _SECRET_FILE). */
    public static boolean isSecretFileVariable(String variable) {
        String v = variable.toUpperCase(Locale.ROOT);
        return (v.startsWith("YK_") || v.startsWith("SPRING_")) && (v.endsWith("_PASSWORD_FILE") || v.endsWith("_SECRET_FILE"));
    }

    @Override
    public int getOrder() {
        // after the configuration files (and a configtree) are read, before the mail endpoint and the prod check use them
        return ConfigDataEnvironmentPostProcessor.ORDER + 1;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        PropertySource<?> variables = environment.getPropertySources().get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        if (!(variables instanceof EnumerablePropertySource<?> enumerable)) {
            return;
        }
        Map<String, Object> secrets = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (String name : enumerable.getPropertyNames()) {
            Object file = enumerable.getProperty(name);
            if (!isSecretFileVariable(name) || file == null || file.toString().isBlank()) {
                continue;
            }
            String variable = name.substring(0, name.length() - "_FILE".length());
            Object direct = enumerable.getProperty(variable);
            if (direct != null && !direct.toString().isBlank()) {
                problems.add(variable + " and " + name + " are both set: keep one");
                continue;
            }
            Path path = Path.of(file.toString().trim());
            try {
                secrets.put(variable, withoutTrailingLineBreaks(Files.readString(path, StandardCharsets.UTF_8)));
            } catch (IOException | RuntimeException e) {
                problems.add(name + "=" + path + ": the file cannot be read (" + e.getClass().getSimpleName() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new StartupProblem("Secrets from files (*_FILE variables):\n    " + String.join("\n    ", problems),
                    "Point each *_FILE variable at a readable file holding only the secret (docs/operations.md), or set"
                            + " the variable itself instead.");
        }
        if (secrets.isEmpty()) {
            return;
        }
        log.info("Secrets read from files for " + String.join(", ", secrets.keySet()) + " (*_FILE variables; values not shown)");
        // the variables set from files join the environment's own: bound, checked for typos and ranked as variables are
        Map<String, Object> merged = new LinkedHashMap<>();
        for (String name : enumerable.getPropertyNames()) {
            merged.put(name, enumerable.getProperty(name));
        }
        merged.putAll(secrets);
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, merged));
    }

    private static String withoutTrailingLineBreaks(String text) {
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        return text.substring(0, end);
    }
}
