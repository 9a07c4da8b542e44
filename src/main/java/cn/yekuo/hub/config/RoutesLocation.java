package cn.yekuo.hub.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Where Camel reads the routes: the ones packaged in the jar ({@code classpath:routes/*.yaml}, built from the
 * top-level {@code routes/} folder), or the YAML files of a folder named by {@code yk.routes.dir}. A folder that
 * does not exist stops the start with a message naming the property ({@link StartupProblemAnalyzer}), where
 * Camel would otherwise start with no routes or fail with a stack trace.
 */
public class RoutesLocation implements EnvironmentPostProcessor {

    public static final String PROPERTY = "yk.routes.dir";

    private final Log log;

    public RoutesLocation(DeferredLogFactory logs) {
        this.log = logs.getLog(RoutesLocation.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String dir = environment.getProperty(PROPERTY);
        if (dir == null || dir.isBlank()) {
            return;
        }
        Path path = Path.of(dir.trim()).toAbsolutePath().normalize();
        if (!Files.isDirectory(path)) {
            throw new StartupProblem(PROPERTY + "=" + dir + ": " + path + " is not a folder",
                    "Point " + PROPERTY + " (YK_ROUTES_DIR) at a folder of Camel YAML routes, or remove it to use the"
                            + " routes packaged in the jar.");
        }
        String pattern = "file:" + path.toString().replace('\\', '/') + "/*.yaml";
        log.info("Routes from " + pattern + " (" + PROPERTY + ") instead of the packaged ones");
        environment.getPropertySources().addFirst(new MapPropertySource("yk-routes-location",
                Map.of("camel.main.routes-include-pattern", pattern)));
    }
}
