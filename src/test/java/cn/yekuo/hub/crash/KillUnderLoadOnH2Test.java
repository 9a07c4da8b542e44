package cn.yekuo.hub.crash;

import java.util.Map;

/** The kill -9 drill under load on the embedded default: H2 under the data directory. */
class KillUnderLoadOnH2Test extends KillUnderLoadContract {

    @Override
    Map<String, String> database(String name) {
        return Map.of();
    }
}
