package cn.yekuo.hub.monthly;

import java.util.Map;
import java.util.UUID;

import cn.yekuo.hub.support.RequiresPostgres;

/** The same month on PostgreSQL (a fresh schema): the migration and every query of the monthly duties are portable. */
@RequiresPostgres
class ReturnVisitAndAssessmentOnPostgresTest extends ReturnVisitAndAssessmentTest {

    @Override
    Map<String, Object> database() {
        String schema = "yk_test_monthly_" + UUID.randomUUID().toString().substring(0, 8);
        return Map.of(
                "spring.datasource.url", RequiresPostgres.URL + "?currentSchema=" + schema,
                "spring.datasource.username", RequiresPostgres.USER,
                "spring.datasource.password", RequiresPostgres.PASSWORD,
                "spring.flyway.schemas", schema);
    }
}
