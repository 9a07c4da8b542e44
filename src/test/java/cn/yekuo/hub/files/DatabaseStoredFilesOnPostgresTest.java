package cn.yekuo.hub.files;

import javax.sql.DataSource;

import cn.yekuo.hub.support.PostgresSchemas;
import cn.yekuo.hub.support.RequiresPostgres;

/** The same on PostgreSQL (bytea), in a schema of its own per test run. */
@RequiresPostgres
class DatabaseStoredFilesOnPostgresTest extends DatabaseStoredFilesTest {

    @Override
    DataSource dataSource() {
        return PostgresSchemas.of("yk_files_");
    }
}
