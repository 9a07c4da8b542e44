package cn.yekuo.hub.crash;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;

/** The mid-lifecycle kill -9 drill on the embedded default: H2 under the data directory. */
class KillMidLifecycleOnH2Test extends KillMidLifecycleContract {

    @Override
    Map<String, String> database(String name) {
        return Map.of();
    }

    @Override
    Connection connect(Path dataDir) throws Exception {
        return DriverManager.getConnection("jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("db/hub"), "sa", "");
    }
}
