package cn.yekuo.hub.monthly;

import cn.yekuo.hub.support.Replies;

import static cn.yekuo.hub.monthly.MonthlyHubs.WAIT;
import static cn.yekuo.hub.monthly.MonthlyHubs.at;
import static cn.yekuo.hub.monthly.MonthlyHubs.clock;
import static cn.yekuo.hub.monthly.MonthlyHubs.complete;
import static cn.yekuo.hub.monthly.MonthlyHubs.outboxMails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import cn.yekuo.hub.domain.workflow.TaskResult;
import cn.yekuo.hub.schemes.SchemeValidity;
import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.RunningHub;

/**
 * 方案有效期 on a real hub with a settable clock (in the monthly tests' package for their hub and case helpers): a scheme
 * notified on 2026-12-01 is valid until 2027-12-01 under the default rule set (12 months); the case's representative
 * is warned once from 2027-11-01, and on 2027-12-02 the scheme lapses while its design has not gone to review, the case
 * going back to SCHEME with both parts asked again. A case whose design went to review keeps its scheme.
 */
class SchemeValidityTest {

    RunningHub hub;
    int broker;

    @BeforeEach
    void start() {
        broker = RunningHub.freePort();
        hub = MonthlyHubs.start(RunningHub.newDataDir("scheme-validity"), broker, Map.of(
                "yk.mail.smtp-port", RunningHub.freePort(), "yk.mail.imap-port", RunningHub.freePort(),
                "yk.deadlines.scheme-validity-cron", MonthlyHubs.NEVER));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void a_scheme_not_followed_up_is_warned_once_a_month_ahead_and_lapses_the_day_after_its_last_valid_day() {
        String idle = caseInDesign("2026-12-01T10:00");
        String reviewed = caseInDesign("2026-12-01T10:00");
        complete(hub, reviewed, 3, "2026-12-05T09:00", TaskResult.DONE, Map.of());
        SchemeValidity validity = hub.bean(SchemeValidity.class);

        check(validity, "2027-10-31T09:00");
        assertThat(outboxMails(hub, "scheme-lapsing-")).as("no warning before the last month").isEmpty();

        check(validity, "2027-11-01T08:15");
        check(validity, "2027-11-20T08:15");
        List<MonthlyHubs.Mail> warnings = outboxMails(hub, "scheme-lapsing-");
        assertThat(warnings).as("one warning, for the case whose design has not gone to review").hasSize(1);
        assertThat(warnings.get(0).to()).as("the case's representative (dongjiao: 王敏)").isEqualTo("rep@yekuo.local");
        assertThat(warnings.get(0).subject()).contains(idle, "2027-12-01");
        assertThat(warnings.get(0).text()).contains(idle, "2026-12-01", "有效期至 Valid until: 2027-12-01");

        check(validity, "2027-12-01T20:00");
        assertThat(stage(idle)).as("valid through its last day").isEqualTo("DESIGN");

        check(validity, "2027-12-02T08:15");
        assertThat(stage(idle)).isEqualTo("SCHEME");
        assertThat(stage(reviewed)).as("a design under review uses its scheme").isEqualTo("DESIGN");
        assertThat(hub.jdbc().queryForList("select kind || ' ' || status from case_task t join yk_case c on c.id = t.case_id"
                + " where c.case_no = ? order by task_no", String.class, idle)).containsExactly(
                "SCHEME_TECHNICAL CLOSED", "SCHEME_BUSINESS CLOSED", "DESIGN CANCELLED", "SCHEME_TECHNICAL OPEN", "SCHEME_BUSINESS OPEN");
        assertThat(hub.jdbc().queryForList("select kind from case_timeline t join yk_case c on c.id = t.case_id"
                + " where c.case_no = ?", String.class, idle)).contains("SCHEME_EXPIRED");

        check(validity, "2027-12-03T08:15");
        assertThat(outboxMails(hub, "scheme-lapsing-")).as("nothing more once lapsed").hasSize(1);

        // the new scheme takes the case to design again, with a new letter whose validity runs from its own date
        complete(hub, idle, 4, "2027-12-10T10:00", TaskResult.APPROVED, Replies.with(Map.of("SOURCE", "110kV东郊变 10kV 912东园线",
                "CONNECTION_POINT", "912东园线 #23杆 T接", "OWNERSHIP_BOUNDARY", "#23杆 T接点刀闸下桩头"), Replies.TECHNICAL_FIELDS));
        complete(hub, idle, 5, "2027-12-10T10:00", TaskResult.APPROVED, Replies.with(Map.of("METERING", "高供高计", "TARIFF", "大工业用电",
                "ASSET_TRANSFER", "否", "FEES", "12800.00"), Replies.BUSINESS_FIELDS));
        assertThat(stage(idle)).isEqualTo("DESIGN");
        awaitLetters(idle, 2);
        check(validity, "2028-11-15T08:15");
        assertThat(outboxMails(hub, "scheme-lapsing-" + idle + "-2028-12-10")).as("the new scheme's own warning").hasSize(1);
    }

    /** The letter is dated when the issuer renders it, after the commit: wait for it before the clock moves on. */
    private void awaitLetters(String caseNo, int n) {
        await("scheme letters of " + caseNo).atMost(WAIT).until(() -> hub.jdbc().queryForObject(
                "select count(*) from case_document d join yk_case c on c.id = d.case_id where c.case_no = ? and d.type = 'SCHEME_REPLY'",
                Integer.class, caseNo) == n);
    }

    private void check(SchemeValidity validity, String when) {
        clock(hub).set(at(when));
        validity.check();
    }

    private String stage(String caseNo) {
        return hub.jdbc().queryForObject("select stage from yk_case where case_no = ?", String.class, caseNo);
    }

    /** A case through intake (JMS) with both scheme parts approved at {@code schemeAt}: DESIGN, T3 open. */
    private String caseInDesign(String schemeAt) {
        ObjectNode app = BillingClient.uniqueExample("application-new-install.json");
        String applicationNo = app.get("applicationNo").asText();
        clock(hub).set(at("2026-11-27T09:30"));
        try (BillingClient billing = new BillingClient("tcp://127.0.0.1:" + broker)) {
            billing.sendApplication(app.toString());
            await().atMost(WAIT).until(() -> MonthlyHubs.stage(hub.jdbc(), applicationNo).equals("SCHEME"));
        }
        String caseNo = hub.jdbc().queryForObject("select case_no from yk_case where application_no = ?", String.class, applicationNo);
        complete(hub, caseNo, 1, schemeAt, TaskResult.APPROVED, Replies.with(Map.of("SOURCE", "110kV东郊变 10kV 912东园线",
                "CONNECTION_POINT", "912东园线 #23杆 T接", "OWNERSHIP_BOUNDARY", "#23杆 T接点刀闸下桩头"), Replies.TECHNICAL_FIELDS));
        complete(hub, caseNo, 2, schemeAt, TaskResult.APPROVED, Replies.with(Map.of("METERING", "高供高计", "TARIFF", "大工业用电",
                "ASSET_TRANSFER", "否", "FEES", "12800.00"), Replies.BUSINESS_FIELDS));
        awaitLetters(caseNo, 1);
        return caseNo;
    }
}
