package cn.yekuo.hub.config;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Stops the start when an environment variable {@code YK_…} or a system property {@code yk.…} binds to nothing in
 * {@link HubProperties}, naming it. Spring's own unknown-key check ({@code ignoreUnknownFields = false}) covers the
 * configuration files, command-line arguments and test properties but leaves these two sources alone, as they belong
 * to the whole machine; the {@code YK_} prefix is the hub's, and a misspelt {@code YK_MAIL_SMTP_HOTS} in a compose file
 * would otherwise run on the default. {@code yk.test.*} and {@code yk.bench.*} belong to the test and benchmark suites.
 * A secret's file variable ({@code YK_BROKER_PASSWORD_FILE}, {@link SecretFiles}) is judged by the key it sets.
 */
public class UnknownKeys implements ConfigurationPropertiesBindHandlerAdvisor {

    private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("yk");
    private static final Set<ConfigurationPropertyName> NOT_THE_HUBS =
            Set.of(ConfigurationPropertyName.of("yk.test"), ConfigurationPropertyName.of("yk.bench"));

    private final ConfigurableEnvironment environment;

    public UnknownKeys(ConfigurableEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public BindHandler apply(BindHandler parent) {
        Set<ConfigurationPropertyName> bound = new HashSet<>();
        return new AbstractBindHandler(parent) {
            @Override
            public Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context, Object result) {
                if (ROOT.isAncestorOf(name)) {
                    bound.add(name);
                }
                return super.onSuccess(name, target, context, result);
            }

            @Override
            public void onFinish(ConfigurationPropertyName name, Bindable<?> target, BindContext context, Object result)
                    throws Exception {
                super.onFinish(name, target, context, result);
                if (context.getDepth() == 0 && ROOT.equals(name)) {
                    Set<ConfigurationProperty> unknown = unknown(bound);
                    if (!unknown.isEmpty()) {
                        throw new UnboundConfigurationPropertiesException(unknown);
                    }
                }
            }
        };
    }

    private Set<ConfigurationProperty> unknown(Set<ConfigurationPropertyName> bound) {
        Set<String> boundVariables = new HashSet<>();
        for (ConfigurationPropertyName name : bound) {
            boundVariables.add(variable(name, ConfigurationPropertyName.Form.UNIFORM));
            boundVariables.add(variable(name, ConfigurationPropertyName.Form.ORIGINAL));
        }
        Set<ConfigurationProperty> unknown = new TreeSet<>();
        for (String key : keys(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)) {
            String variable = key.toUpperCase(Locale.ROOT);
            // YK_BROKER_PASSWORD_FILE is right when YK_BROKER_PASSWORD, which SecretFiles sets from it, binds
            String setting = SecretFiles.isSecretFileVariable(variable) ? variable.substring(0, variable.length() - 5) : variable;
            // an empty variable (compose's ${X:-}) means "not set": converters bind it to nothing, it is no typo
            if (variable.startsWith("YK_") && !boundVariables.contains(setting) && !blank(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, key)) {
                ConfigurationPropertyName name = ConfigurationPropertyName.adapt(variable.toLowerCase(Locale.ROOT).replace('_', '.'), '.');
                if (isTheHubs(name)) {
                    unknown.add(hidden(name, StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, key));
                }
            }
        }
        for (String key : keys(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME)) {
            ConfigurationPropertyName name = ConfigurationPropertyName.adapt(key, '.');
            if (ROOT.isAncestorOf(name) && isTheHubs(name) && !bound.contains(name)) {
                unknown.add(hidden(name, StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, key));
            }
        }
        return unknown;
    }

    private boolean blank(String source, String key) {
        Object value = environment.getPropertySources().get(source).getProperty(key);
        return value == null || value.toString().isBlank();
    }

    private static boolean isTheHubs(ConfigurationPropertyName name) {
        return NOT_THE_HUBS.stream().noneMatch(other -> other.equals(name) || other.isAncestorOf(name));
    }

    private String[] keys(String source) {
        PropertySource<?> s = environment.getPropertySources().get(source);
        return s instanceof EnumerablePropertySource<?> e ? e.getPropertyNames() : new String[0];
    }

    /** The value is left out of the start-up report: a misspelt key may well hold a password. */
    private ConfigurationProperty hidden(ConfigurationPropertyName name, String source, String key) {
        return new ConfigurationProperty(name, "(not shown)", PropertySourceOrigin.get(environment.getPropertySources().get(source), key));
    }

    /**
     * The environment variable Spring Boot reads {@code name} from: {@code yk.mail.smtp-host} = {@code YK_MAIL_SMTPHOST}
     * (uniform form) or {@code YK_MAIL_SMTP_HOST} (original form, dashes as underscores); list indexes are elements.
     */
    private static String variable(ConfigurationPropertyName name, ConfigurationPropertyName.Form form) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.getNumberOfElements(); i++) {
            if (!out.isEmpty()) {
                out.append('_');
            }
            out.append(name.getElement(i, form).replace('-', '_').toUpperCase(Locale.ROOT));
        }
        return out.toString();
    }
}
