package cn.yekuo.hub.config;

import java.nio.file.Path;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Publishes {@code yk.data-dir} as an absolute path ({@code yk.data-dir-absolute}): H2 refuses relative
 * file paths, and the broker journal and documents should not move with the working directory.
 */
public class DataDirectory implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String dataDir = environment.getProperty("yk.data-dir", "./data");
        String absolute = Path.of(dataDir).toAbsolutePath().normalize().toString().replace('\\', '/');
        environment.getPropertySources().addFirst(new MapPropertySource("yk-data-directory",
                Map.of("yk.data-dir-absolute", absolute)));
    }
}
