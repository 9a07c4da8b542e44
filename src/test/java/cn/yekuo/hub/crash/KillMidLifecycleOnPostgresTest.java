package cn.yekuo.hub.crash;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;

import cn.yekuo.hub.support.RequiresPostgres;

/** The mid-lifecycle kill -9 drill on PostgreSQL, in a schema of its own per test run. */
@RequiresPostgres
class KillMidLifecycleOnPostgresTest extends KillMidLifecycleContract {

    private Map<String, String> database;

    @Override
    Map<String, String> database(String name) {
        database = KillUnderLoadOnPostgresTest.postgres(name);
        return database;
    }

    @Override
    Connection connect(Path dataDir) throws Exception {
        String url = database.get("spring.datasource.url");
        return DriverManager.getConnection(url, RequiresPostgres.USER, RequiresPostgres.PASSWORD);
    }
}
