package cn.yekuo.hub.documents;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import cn.yekuo.hub.support.RequiresPostgres;

/** The same on PostgreSQL, in a schema of its own per test run (cleaned before each test). */
@RequiresPostgres
class DocumentChainOnPostgresTest extends DocumentChainTest {

    static final String SCHEMA = "yk_chain_" + System.getProperty("yk.test.run", "local").replaceAll("\\W", "");

    @Override
    DataSource dataSource() {
        DriverManagerDataSource admin = new DriverManagerDataSource(RequiresPostgres.URL, RequiresPostgres.USER, RequiresPostgres.PASSWORD);
        new JdbcTemplate(admin).execute("create schema if not exists " + SCHEMA);
        DriverManagerDataSource ds = new DriverManagerDataSource(RequiresPostgres.URL, RequiresPostgres.USER, RequiresPostgres.PASSWORD);
        ds.setSchema(SCHEMA);
        return ds;
    }
}
