package cn.yekuo.hub.domain.time;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One YAML data file read strictly: dates stay text (SnakeYAML's lenient timestamps would turn
 * 2026-02-30 into March 2nd), duplicate keys and unknown keys are errors naming the file.
 */
final class YamlDocument {

    private final String location;
    private final Object root;

    private YamlDocument(String location, Object root) {
        this.location = location;
        this.root = root;
    }

    static YamlDocument read(String location, InputStream in) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Yaml yaml = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()),
                new DumperOptions(), options, new DatesAsText());
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return new YamlDocument(location, yaml.load(reader));
        } catch (IOException | RuntimeException e) {
            throw new InvalidTimeDataException(location, "not readable YAML: " + e.getMessage(), e);
        }
    }

    String location() {
        return location;
    }

    Map<String, Object> rootMap() {
        return map(root, "the document");
    }

    InvalidTimeDataException error(String message) {
        return new InvalidTimeDataException(location, message);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map(Object value, String what) {
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw error(what + " must be a mapping, found: " + value);
    }

    List<?> list(Object value, String what) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> l) {
            return l;
        }
        throw error(what + " must be a list, found: " + value);
    }

    Object required(Map<String, Object> map, String key, String where) {
        Object value = map.get(key);
        if (value == null) {
            throw error(where + ": '" + key + "' is required");
        }
        return value;
    }

    int integer(Object value, String what) {
        if (value instanceof Integer i) {
            return i;
        }
        throw error(what + " must be a whole number, found: " + value);
    }

    /** A number of points such as {@code 1}, {@code 0.5}: zero or more, at most two decimals (the table's numeric(10, 2)). */
    java.math.BigDecimal points(Object value, String what) {
        java.math.BigDecimal d;
        if (value instanceof Integer || value instanceof Long || value instanceof Double || value instanceof java.math.BigInteger) {
            d = new java.math.BigDecimal(String.valueOf(value));
        } else {
            throw error(what + " must be a number of points, found: " + value);
        }
        if (d.signum() < 0 || d.stripTrailingZeros().scale() > 2 || d.compareTo(new java.math.BigDecimal("99999999")) > 0) {
            throw error(what + " must be between 0 and 99999999 with at most two decimals, found: " + value);
        }
        return d.setScale(2, java.math.RoundingMode.UNNECESSARY);
    }

    LocalDate date(Object value, String what) {
        try {
            return LocalDate.parse(String.valueOf(value));
        } catch (DateTimeParseException e) {
            throw error(what + ": '" + value + "' is not a valid date (yyyy-MM-dd)");
        }
    }

    /** An enum constant by name; the error lists the allowed names. */
    <E extends Enum<E>> E enumValue(Class<E> type, Object value, String what) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(String.valueOf(value))) {
                return constant;
            }
        }
        throw error(what + ": '" + value + "' is not one of " + Arrays.stream(type.getEnumConstants()).map(Enum::name).toList());
    }

    /** Typos such as 'holiday:' for 'holidays:' must not silently drop data. */
    void onlyKeys(Map<String, Object> map, Set<String> allowed, String where) {
        for (String key : map.keySet()) {
            if (!allowed.contains(key)) {
                throw error(where + ": unknown key '" + key + "' (allowed: " + allowed + ")");
            }
        }
    }

    /** YAML 1.1 implicit types minus timestamps, so dates are validated by java.time. */
    private static final class DatesAsText extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO");
            addImplicitResolver(Tag.INT, INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
            addImplicitResolver(Tag.MERGE, MERGE, "<");
            addImplicitResolver(Tag.NULL, NULL, "~nN\0");
            addImplicitResolver(Tag.NULL, EMPTY, null);
        }
    }
}
