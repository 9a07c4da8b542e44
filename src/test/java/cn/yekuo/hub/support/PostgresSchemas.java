package cn.yekuo.hub.support;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** A PostgreSQL schema of a test class's own per test run, so that runs and classes never see each other's rows. */
public final class PostgresSchemas {

    private PostgresSchemas() {
    }

    /** Connections to {@link RequiresPostgres#URL} in the schema {@code prefix + run}, created if missing. */
    public static DataSource of(String prefix) {
        String schema = prefix + System.getProperty("yk.test.run", "local").replaceAll("\\W", "");
        DriverManagerDataSource admin = new DriverManagerDataSource(RequiresPostgres.URL, RequiresPostgres.USER, RequiresPostgres.PASSWORD);
        new JdbcTemplate(admin).execute("create schema if not exists " + schema);
        DriverManagerDataSource ds = new DriverManagerDataSource(RequiresPostgres.URL, RequiresPostgres.USER, RequiresPostgres.PASSWORD);
        ds.setSchema(schema);
        return ds;
    }
}
