package cn.yekuo.hub.replies;

import java.util.Map;

import cn.yekuo.hub.support.RequiresPostgres;

/** The same on PostgreSQL (the attempts and alerts tables, the arrival time), in a schema of its own per test run. */
@RequiresPostgres
class UnitMailOwnHubOnPostgresTest extends UnitMailOwnHubTest {

    static final String SCHEMA = "yk_mail_" + System.getProperty("yk.test.run", "local").replaceAll("\\W", "");

    @Override
    Map<String, Object> database() {
        return Map.of(
                "spring.datasource.url", RequiresPostgres.URL + "?currentSchema=" + SCHEMA,
                "spring.datasource.username", RequiresPostgres.USER,
                "spring.datasource.password", RequiresPostgres.PASSWORD,
                "spring.flyway.schemas", SCHEMA);
    }
}
