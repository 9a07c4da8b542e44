package cn.yekuo.hub.deadlines;

import java.util.Map;

/** The deadline watcher on the embedded default: H2 file database under the hub's data directory. */
class DeadlineWatcherOnH2Test extends DeadlineWatcherContract {

    @Override
    int brokerPort() {
        return Integer.getInteger("yk.test.deadline-broker-port", 61711); // movable like the shared hub's ports
    }

    @Override
    Map<String, Object> database(String name) {
        return Map.of();
    }
}
