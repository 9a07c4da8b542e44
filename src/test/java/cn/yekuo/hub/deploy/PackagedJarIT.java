package cn.yekuo.hub.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import cn.yekuo.hub.support.HubProcess;

/** The packaged jar as a user starts it: from any folder, with nothing beside it (docs: README, "The two commands"). */
class PackagedJarIT {

    private static final Path JAR = Path.of(System.getProperty("yk.test.jar", "target/yekuo-hub-0.1.0-SNAPSHOT.jar"));

    @Test
    @DisplayName("java -jar from another folder runs the embedded default with its routes and keeps its data in ./data there")
    void startsFromAnotherFolder() throws Exception {
        Path folder = HubProcess.newWorkDir("packaged-jar");
        try (HubProcess hub = HubProcess.jar(JAR, folder, Map.of()).awaitHealthy(Duration.ofSeconds(150))) {
            assertThat(hub.health().body()).contains("\"camelHealth\":{\"status\":\"UP\"");
            assertThat(hub.log()).contains("Data directory " + folder.resolve("data") + " does not exist yet")
                    .containsPattern("Routes startup \\(total:" + packagedRoutes() + "\\b");
            assertThat(folder.resolve("data/db/hub.mv.db")).as("H2 database under ./data of the working folder").exists();
            assertThat(folder.resolve("data/artemis")).as("broker journal under ./data").isDirectory();
        }
        try (HubProcess again = HubProcess.jar(JAR, folder, Map.of()).awaitHealthy(Duration.ofSeconds(150))) {
            assertThat(again.log()).as("the second start finds the same data directory")
                    .contains("Data directory " + folder.resolve("data") + " (yk.data-dir)");
        }
    }

    @Test
    @DisplayName("a routes folder that does not exist stops the start with a message naming yk.routes.dir, no stack trace")
    void missingRoutesFolderIsAClearStartupError() throws Exception {
        Path folder = HubProcess.newWorkDir("packaged-jar-no-routes");
        Path missing = folder.resolve("no-such-routes");
        try (HubProcess hub = HubProcess.jar(JAR, folder, Map.of("yk.routes.dir", missing.toString()))) {
            assertThat(hub.awaitExit(Duration.ofSeconds(60))).isNotZero();
            assertThat(hub.log()).contains("APPLICATION FAILED TO START")
                    .contains("yk.routes.dir=" + missing + ": " + missing + " is not a folder")
                    .doesNotContain("\tat org.springframework");
        }
        assertThat(Files.exists(folder.resolve("data"))).as("nothing created before the refusal").isFalse();
    }

    @Test
    @DisplayName("yk.routes.dir replaces the packaged routes with the YAML files of a folder")
    void routesFolderOverridesThePackagedRoutes() throws Exception {
        Path folder = HubProcess.newWorkDir("packaged-jar-own-routes");
        Path routes = Files.createDirectories(folder.resolve("my-routes"));
        // the packaged routes and one of the operator's own
        try (var files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
        Files.writeString(routes.resolve("local.yaml"), """
                - route:
                    id: local-marker
                    from:
                      uri: timer:local-marker?repeatCount=1
                      steps:
                        - log: "local route of yk.routes.dir ran"
                """);
        try (HubProcess hub = HubProcess.jar(JAR, folder, Map.of("yk.routes.dir", routes.toString()))
                .awaitHealthy(Duration.ofSeconds(150))) {
            assertThat(hub.log()).contains("Routes from file:" + routes + "/*.yaml (yk.routes.dir)")
                    .containsPattern("Routes startup \\(total:" + (packagedRoutes() + 1) + "\\b");
            // the timer fires a second after its route starts, which can be after the hub reports healthy
            await("the operator's own route ran").atMost(Duration.ofSeconds(30))
                    .until(() -> hub.log().contains("local route of yk.routes.dir ran"));
        }
    }

    /** How many routes the top-level routes/ folder defines (each {@code - route:} item). */
    private static int packagedRoutes() throws java.io.IOException {
        int n = 0;
        try (var files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                n += (int) Files.readAllLines(f).stream().filter(line -> line.startsWith("- route:")).count();
            }
        }
        return n;
    }
}
