package cn.yekuo.hub.files;

import java.nio.file.Path;
import java.util.Map;

import cn.yekuo.hub.support.RequiresPostgres;

/** The same two hubs on PostgreSQL (bytea files, JDBC sessions), in a schema of their own per test run. */
@RequiresPostgres
class SharedStateClusterOnPostgresTest extends SharedStateClusterTest {

    @Override
    Map<String, Object> sharedDatabase(Path dir) {
        String schema = "yk_shared_" + System.getProperty("yk.test.run", "local").replaceAll("\\W", "")
                + "_" + dir.getFileName().toString().replaceAll("\\W", "_");
        return Map.of(
                "spring.datasource.url", RequiresPostgres.URL + "?currentSchema=" + schema,
                "spring.datasource.username", RequiresPostgres.USER,
                "spring.datasource.password", RequiresPostgres.PASSWORD,
                "spring.flyway.schemas", schema);
    }
}
