package cn.yekuo.hub.web;

import java.util.Map;
import java.util.UUID;

import cn.yekuo.hub.support.RequiresPostgres;

/** The agenda and the trend on PostgreSQL (a fresh schema): their queries are portable. */
@RequiresPostgres
class AgendaAndTrendOnPostgresTest extends AgendaAndTrendTest {

    @Override
    Map<String, Object> database() {
        String schema = "yk_test_agenda_" + UUID.randomUUID().toString().substring(0, 8);
        return Map.of(
                "spring.datasource.url", RequiresPostgres.URL + "?currentSchema=" + schema,
                "spring.datasource.username", RequiresPostgres.USER,
                "spring.datasource.password", RequiresPostgres.PASSWORD,
                "spring.flyway.schemas", schema);
    }
}
