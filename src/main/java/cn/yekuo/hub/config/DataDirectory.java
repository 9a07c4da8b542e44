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
 * Publishes {@code yk.data-dir} as an absolute path ({@code yk.data-dir-absolute}): H2 refuses relative
 * file paths, and the broker journal and documents should not move with the working directory. The path is
 * logged at start, with a warning when it does not exist yet: a hub started from another folder would otherwise
 * open an empty database without a word.
 */
public class DataDirectory implements EnvironmentPostProcessor {

    private final Log log;

    public DataDirectory(DeferredLogFactory logs) {
        this.log = logs.getLog(DataDirectory.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String dataDir = environment.getProperty("yk.data-dir", "./data");
        Path path = Path.of(dataDir).toAbsolutePath().normalize();
        if (Files.isDirectory(path)) {
            log.info("Data directory " + path + " (yk.data-dir)");
        } else {
            log.warn("Data directory " + path + " does not exist yet: a new database, broker journal and token secret"
                    + " are created there (yk.data-dir=" + dataDir + ", relative to the working directory "
                    + Path.of("").toAbsolutePath() + ")");
        }
        environment.getPropertySources().addFirst(new MapPropertySource("yk-data-directory",
                Map.of("yk.data-dir-absolute", path.toString().replace('\\', '/'))));
    }
}
