package cn.yekuo.hub.files;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import cn.yekuo.hub.support.RequiresPostgres;

/** The same on PostgreSQL (bytea), in a schema of its own per test run. */
@RequiresPostgres
class DatabaseStoredFilesOnPostgresTest extends DatabaseStoredFilesTest {

    static final String SCHEMA = "yk_files_" + System.getProperty("yk.test.run", "local").replaceAll("\\W", "");

    @Override
    DataSource dataSource() {
        DriverManagerDataSource admin = new DriverManagerDataSource(RequiresPostgres.URL, RequiresPostgres.USER, RequiresPostgres.PASSWORD);
        new JdbcTemplate(admin).execute("create schema if not exists " + SCHEMA);
        DriverManagerDataSource ds = new DriverManagerDataSource(RequiresPostgres.URL, RequiresPostgres.USER, RequiresPostgres.PASSWORD);
        ds.setSchema(SCHEMA);
        return ds;
    }
}
