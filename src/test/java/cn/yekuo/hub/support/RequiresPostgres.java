package cn.yekuo.hub.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.sql.Connection;
import java.sql.DriverManager;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only where PostgreSQL answers ({@code YK_TEST_POSTGRES_URL}, default
 * 127.0.0.1:5432/test as user postgres). Absent, the class is skipped with a message — unless
 * {@code YK_TEST_REQUIRE_POSTGRES=true} (set by .ci/run), where absence is a failure.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresPostgres.Condition.class)
public @interface RequiresPostgres {

    String URL = System.getenv().getOrDefault("YK_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    String USER = System.getenv().getOrDefault("YK_TEST_POSTGRES_USER", "postgres");
    String PASSWORD = System.getenv().getOrDefault("YK_TEST_POSTGRES_PASSWORD", "");

    class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD)) {
                return ConditionEvaluationResult.enabled("PostgreSQL reachable at " + URL);
            } catch (Exception e) {
                String why = "PostgreSQL is not reachable at " + URL + " (" + e.getMessage() + ")";
                if ("true".equalsIgnoreCase(System.getenv("YK_TEST_REQUIRE_POSTGRES"))) {
                    throw new IllegalStateException(why + " but YK_TEST_REQUIRE_POSTGRES=true", e);
                }
                return ConditionEvaluationResult.disabled("SKIPPED: " + why + "; set YK_TEST_REQUIRE_POSTGRES=true to make this a failure");
            }
        }
    }
}
