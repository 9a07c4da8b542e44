package cn.yekuo.hub.deadlines;

import java.nio.file.Path;
import java.util.Map;

import cn.yekuo.hub.support.RequiresPostgres;

/** Restart and two hubs on PostgreSQL: the hubs share a schema (Quartz row locks in QRTZ_LOCKS). */
@RequiresPostgres
class DeadlineClusterOnPostgresTest extends DeadlineClusterTest {

    @Override
    Map<String, Object> sharedDatabase(Path dir) {
        return DeadlineWatcherOnPostgresTest.postgres("cluster");
    }

    @Override
    AutoCloseable databaseServer(Path dir) {
        return () -> { };
    }

    @Override
    Map<String, Object> ownDatabase(String name) {
        return DeadlineWatcherOnPostgresTest.postgres(name);
    }
}
