package cn.yekuo.hub.outbox;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import cn.yekuo.hub.support.RequiresPostgres;

/** The same on PostgreSQL, the database several nodes share, in a schema of its own per test run. */
@RequiresPostgres
class OutboxClaimsOnPostgresTest extends OutboxClaimsTest {

    static final String SCHEMA = "yk_claims_" + System.getProperty("yk.test.run", "local").replaceAll("\\W", "");

    @Override
    DataSource[] dataSources() {
        new JdbcTemplate(node(null)).execute("create schema if not exists " + SCHEMA);
        return new DataSource[] {node(SCHEMA), node(SCHEMA)};
    }

    private static DataSource node(String schema) {
        DriverManagerDataSource ds = new DriverManagerDataSource(RequiresPostgres.URL, RequiresPostgres.USER, RequiresPostgres.PASSWORD);
        if (schema != null) {
            ds.setSchema(schema);
        }
        return ds;
    }
}
