package cn.yekuo.hub.bench;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import cn.yekuo.hub.support.RequiresPostgres;

/**
 * The benchmarks side by side (issue 9), one JVM, one run: documents, intake, lifecycle and footprint, each figure
 * beside its peer measured in the same run. {@code mvn -Pbench verify}; see docs/benchmarks/README.md.
 */
@Tag("bench")
class HubBenchmarks {

    @Test
    void side_by_side() throws Exception {
        long start = System.nanoTime();
        quietLogging();
        Results results = new Results();
        Set<String> phases = Set.of(System.getProperty("yk.bench.phases", "documents,intake,lifecycle,startup").split(","));
        int brokerBase = Bench.intProp("yk.bench.broker-port", 61780);
        // SMTP/IMAP ports from here to here + 19 (two builds side by side give each its own base)
        int mailBase = Bench.intProp("yk.bench.mail-port", 3780);
        Map<String, Object> extra = new LinkedHashMap<>();

        if (phases.contains("documents")) {
            cn.yekuo.hub.documents.DocumentsBench.run(results, Bench.intProp("yk.bench.documents.iterations", 25));
        }
        if (phases.contains("intake")) {
            // sizes reduced from the 5,000 so that the whole run fits in 5 minutes on the shared 2-core machine
            // (the hub takes about 20-30 applications/s there): docs/benchmarks/README.md
            int n = Bench.intProp("yk.bench.intake.applications", 150);
            int rawN = Bench.intProp("yk.bench.intake.ceiling-applications", 500);
            int sameN = Bench.intProp("yk.bench.intake.same-work-applications", n);
            int warmup = Bench.intProp("yk.bench.intake.warmup", 30);
            int[] counts = Arrays.stream(System.getProperty("yk.bench.intake.consumers", "1,2,4").split(",")).mapToInt(Integer::parseInt).toArray();
            extra.put("intakeApplications", n);
            IntakeBench.run(results, "H2", Map.of(), counts, brokerBase, mailBase, n, rawN, sameN, warmup);
            String paused = System.getProperty("yk.bench.intake.paused-issuer-consumers", "");
            if (!paused.isBlank()) {
                // the intake path alone: contact cards wait in the outbox instead of taking the same cores
                int[] pausedCounts = Arrays.stream(paused.split(",")).mapToInt(Integer::parseInt).toArray();
                IntakeBench.run(results, "H2", Map.of(), pausedCounts, brokerBase + 3, mailBase + 6, n, rawN, sameN, warmup, false);
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            int pgBudget = Bench.intProp("yk.bench.intake.pg-start-before-seconds", 170);
            if (elapsed > pgBudget) {
                results.note(String.format("PostgreSQL intake skipped: %.0f s already spent, over the %d s budget for starting it", elapsed, pgBudget));
            } else if (postgresReachable()) {
                int[] pgCounts = Arrays.stream(System.getProperty("yk.bench.intake.pg-consumers", "1,2,4").split(",")).mapToInt(Integer::parseInt).toArray();
                int pgN = Bench.intProp("yk.bench.intake.pg-applications", n);
                IntakeBench.run(results, "PostgreSQL", postgres("bench" + Bench.RUN), pgCounts, brokerBase + 4, mailBase + 8, pgN, rawN, sameN, warmup);
            } else {
                results.note("PostgreSQL not reachable at " + RequiresPostgres.URL + ": intake measured on H2 only");
            }
        }
        if (phases.contains("lifecycle")) {
            int cases = Bench.intProp("yk.bench.lifecycle.cases", 20);
            extra.put("lifecycleCases", cases);
            // "startup": the lifecycle hub starts as the Dockerfile starts it; without it, with java -jar
            StartupBench.Launch launch = phases.contains("startup") ? StartupBench.production(results, brokerBase + 9, mailBase + 18)
                    : StartupBench.Launch.packagedJar();
            LifecycleBench.run(results, cases, brokerBase + 8, mailBase + 16, launch);
        }
        results.note(String.format("whole run %.0f s", (System.nanoTime() - start) / 1e9));
        results.write(Bench.ROOT.resolve("results.json"), extra);
        String table = results.table();
        Files.writeString(Bench.ROOT.resolve("results.md"), table);
        System.out.println();
        System.out.println("Benchmark results (" + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version") + ")");
        System.out.println(table);
        System.out.println("written: " + Bench.ROOT.resolve("results.json").toAbsolutePath());
    }

    /**
     * Until a hub starts (Spring Boot then configures logging as in production, to a file here), the test classpath's
     * logback default would print every library's DEBUG lines, which costs more than some of the work measured.
     */
    private static void quietLogging() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
            ctx.getLogger("org.apache.pdfbox.pdmodel.font.PDType1Font").setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }

    static boolean postgresReachable() {
        try (var c = java.sql.DriverManager.getConnection(RequiresPostgres.URL, RequiresPostgres.USER, RequiresPostgres.PASSWORD)) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    static Map<String, Object> postgres(String name) {
        String schema = "yk_" + name;
        return Map.of(
                "spring.datasource.url", RequiresPostgres.URL + "?currentSchema=" + schema,
                "spring.datasource.username", RequiresPostgres.USER,
                "spring.datasource.password", RequiresPostgres.PASSWORD,
                "spring.flyway.schemas", schema);
    }
}
