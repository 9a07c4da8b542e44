package cn.yekuo.hub.crash;

import java.util.Map;

import cn.yekuo.hub.support.RequiresPostgres;

/** The kill -9 drill under load on PostgreSQL, in a schema of its own per test run (Flyway creates it). */
@RequiresPostgres
class KillUnderLoadOnPostgresTest extends KillUnderLoadContract {

    @Override
    Map<String, String> database(String name) {
        return postgres(name);
    }

    static Map<String, String> postgres(String name) {
        String schema = "yk_test_" + name + "_" + System.getProperty("yk.test.run", "local").replaceAll("\\W", "");
        return Map.of(
                "spring.datasource.url", RequiresPostgres.URL + "?currentSchema=" + schema,
                "spring.datasource.username", RequiresPostgres.USER,
                "spring.datasource.password", RequiresPostgres.PASSWORD,
                "spring.flyway.schemas", schema);
    }
}
