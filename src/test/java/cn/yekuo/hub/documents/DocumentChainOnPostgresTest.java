package cn.yekuo.hub.documents;

import javax.sql.DataSource;

import cn.yekuo.hub.support.PostgresSchemas;
import cn.yekuo.hub.support.RequiresPostgres;

/** The same on PostgreSQL, in a schema of its own per test run (cleaned before each test). */
@RequiresPostgres
class DocumentChainOnPostgresTest extends DocumentChainTest {

    @Override
    DataSource dataSource() {
        return PostgresSchemas.of("yk_chain_");
    }
}
