package cn.yekuo.hub.deadlines;

import java.util.Map;

import cn.yekuo.hub.support.RequiresPostgres;

/** The deadline watcher on PostgreSQL, in a schema of its own per test run (Flyway creates it). */
@RequiresPostgres
class DeadlineWatcherOnPostgresTest extends DeadlineWatcherContract {

    @Override
    int brokerPort() {
        return 61714;
    }

    @Override
    Map<String, Object> database(String name) {
        return postgres(name);
    }

    static Map<String, Object> postgres(String name) {
        String schema = "yk_test_" + name + "_" + System.getProperty("yk.test.run", "local").replaceAll("\\W", "");
        return Map.of(
                "spring.datasource.url", RequiresPostgres.URL + "?currentSchema=" + schema,
                "spring.datasource.username", RequiresPostgres.USER,
                "spring.datasource.password", RequiresPostgres.PASSWORD,
                "spring.flyway.schemas", schema);
    }
}
