package cn.yekuo.hub.cluster;

import java.nio.file.Path;
import java.util.Map;

import cn.yekuo.hub.support.RequiresPostgres;

/** {@link TwoHubsTest} with both hubs on one PostgreSQL schema. */
@RequiresPostgres
class TwoHubsOnPostgresTest extends TwoHubsTest {

    @Override
    Map<String, Object> sharedDatabase(Path dir, int port) {
        String schema = "yk_test_two_hubs_" + System.getProperty("yk.test.run", "local").replaceAll("\\W", "");
        return Map.of(
                "spring.datasource.url", RequiresPostgres.URL + "?currentSchema=" + schema,
                "spring.datasource.username", RequiresPostgres.USER,
                "spring.datasource.password", RequiresPostgres.PASSWORD,
                "spring.flyway.schemas", schema);
    }

    @Override
    AutoCloseable databaseServer(int port) {
        return () -> { };
    }
}
