package cn.yekuo.hub.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Settings shared by the benchmark phases. */
final class Bench {

    static final String HUB_PASSWORD = "bench-hub";
    static final Path ROOT = Path.of("target/bench");
    static final String RUN = String.valueOf(System.currentTimeMillis());

    private Bench() {
    }

    static Path dir(String name) {
        return ROOT.resolve("data").resolve(RUN).resolve(name);
    }

    /** The hub as configured by default, except: logs to a file instead of the console (the log lines are still written). */
    static Map<String, Object> hubDefaults(String name) {
        Map<String, Object> p = new HashMap<>();
        p.put("logging.file.name", ROOT.resolve("logs").resolve(RUN + "-" + name + ".log").toString());
        p.put("logging.threshold.console", "OFF");
        return p;
    }

    static int intProp(String name, int def) {
        return Integer.getInteger(name, def);
    }
}
