package cn.yekuo.hub.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.config.StartupProblem;

/** yk.representatives is checked at start: every problem named at once, with the key to correct. */
class RosterTest {

    private static Map<String, String> users() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("yk.security.users[0].name", "rep");
        p.put("yk.security.users[0].password", "x");
        p.put("yk.security.users[0].role", "REP");
        p.put("yk.security.users[1].name", "viewer");
        p.put("yk.security.users[1].password", "y");
        p.put("yk.security.users[1].role", "VIEWER");
        return p;
    }

    private static HubProperties bind(Map<String, String> p) {
        return new Binder(new MapConfigurationPropertySource(p)).bindOrCreate("yk", HubProperties.class);
    }

    @Test
    void a_valid_roster_falls_back_to_its_first_representative() {
        Map<String, String> p = users();
        p.put("yk.representatives[0].id", "wangmin");
        p.put("yk.representatives[0].name", "王敏");
        p.put("yk.representatives[0].email", "rep@yekuo.local");
        p.put("yk.representatives[0].stations", "dongjiao");
        p.put("yk.representatives[0].user", "rep");
        p.put("yk.representatives[0].lead", "true");
        Roster roster = new Roster(bind(p));
        assertThat(roster.of(null).id()).isEqualTo("wangmin");
        assertThat(roster.of("left-the-company").id()).isEqualTo("wangmin");
        assertThat(roster.byUser("rep")).hasValueSatisfying(r -> assertThat(r.lead()).isTrue());
        assertThat(roster.byUser("viewer")).isEmpty();
    }

    @Test
    void duplicate_ids_a_missing_email_an_unknown_station_and_logins_that_are_no_representatives_stop_the_start() {
        Map<String, String> p = users();
        p.put("yk.representatives[0].id", "wangmin");
        p.put("yk.representatives[0].name", "王敏");
        p.put("yk.representatives[0].email", "rep@yekuo.local");
        p.put("yk.representatives[0].user", "rep");
        p.put("yk.representatives[1].id", "wangmin");
        p.put("yk.representatives[1].name", "李华");
        p.put("yk.representatives[1].stations", "nanjiao");
        p.put("yk.representatives[1].user", "lihua");
        p.put("yk.representatives[2].id", "zhao");
        p.put("yk.representatives[2].name", "赵");
        p.put("yk.representatives[2].email", "zhao@yekuo.local");
        p.put("yk.representatives[2].user", "viewer");

        Throwable failure = catchThrowable(() -> new Roster(bind(p)));

        assertThat(failure).isInstanceOf(StartupProblem.class);
        assertThat(failure.getMessage()).contains("(5 problems)",
                "yk.representatives[1].id 'wangmin' is given twice",
                "yk.representatives[1].email (YK_REPRESENTATIVES_1_EMAIL) is required",
                "yk.representatives[1].stations: 'nanjiao' is not one of yk.supply-stations",
                "yk.representatives[1].user 'lihua' is not a user of yk.security.users",
                "yk.representatives[2].user 'viewer' has role VIEWER");
        assertThat(((StartupProblem) failure).action()).contains("YK_REPRESENTATIVES_<n>_ID");
    }

    @Test
    void an_empty_roster_stops_the_start() {
        assertThat(catchThrowable(() -> new Roster(bind(users())))).isInstanceOf(StartupProblem.class)
                .hasMessageContaining("yk.representatives is empty");
    }
}
