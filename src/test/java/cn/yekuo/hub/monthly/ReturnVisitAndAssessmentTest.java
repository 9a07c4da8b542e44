package cn.yekuo.hub.monthly;

import cn.yekuo.hub.assessment.AssessmentReports;
import cn.yekuo.hub.returnvisits.ReturnVisits;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.yekuo.hub.tokens.HandoffToken;
import cn.yekuo.hub.support.MailClient;
import cn.yekuo.hub.support.RepClient;
import cn.yekuo.hub.support.RunningHub;

import static cn.yekuo.hub.monthly.MonthlyHubs.WAIT;
import static cn.yekuo.hub.monthly.MonthlyHubs.at;
import static cn.yekuo.hub.monthly.MonthlyHubs.clock;
import static cn.yekuo.hub.monthly.MonthlyHubs.outboxMails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One month on a real hub with a settable clock: three cases energized in December 2026 — A on time and B with a late
 * scheme reply (station dongjiao), C paused by the customer during its scheme (station xijiao) — and none in chengqu.
 * Then January 2027: the plans on the 1st, dongjiao's reply, xijiao's silence, the summary and the assessment report.
 * Each test has a hub and the three cases of its own and first plays the earlier days it builds on (the steps below),
 * so that any test can run alone or in any order.
 */
class ReturnVisitAndAssessmentTest {

    static final int BROKER = 61751;
    static final int SMTP = 3752;
    static final int IMAP = 3753;
    static final YearMonth DECEMBER = YearMonth.of(2026, 12);

    RunningHub hub;
    MailClient mail;
    String a;
    String b;
    String c;

    @BeforeEach
    void energizeThreeCasesInDecember() {
        Map<String, Object> props = new java.util.HashMap<>(database());
        props.putAll(Map.of("yk.mail.smtp-port", SMTP, "yk.mail.imap-port", IMAP,
                "yk.mail.poll-interval", "300ms", "yk.mail.relay-interval", "200ms"));
        hub = MonthlyHubs.start(RunningHub.newDataDir("monthly"), BROKER, props);
        mail = new MailClient(SMTP, IMAP);
        a = MonthlyHubs.energizedCase(hub, BROKER, "dongjiao", "杭州东郊新材料有限公司", new MonthlyHubs.Steps(
                "2026-12-01T10:00", "2026-12-02T09:00", "2026-12-03T09:00", "2026-12-04T09:00", "2026-12-07T09:00",
                "2026-12-08T09:00", "2026-12-09T09:00", "2026-12-09T15:00", "2026-12-10T10:30", null, null, null));
        // scheme due 2026-12-18: the watcher finds it missed on the 21st (production and marketing charged), done that day
        b = MonthlyHubs.energizedCase(hub, BROKER, "dongjiao", "杭州东园精密机械有限公司", new MonthlyHubs.Steps(
                "2026-12-21T10:00", "2026-12-21T14:00", "2026-12-22T09:00", "2026-12-22T10:00", "2026-12-22T15:00",
                "2026-12-23T09:00", "2026-12-23T15:00", "2026-12-24T10:00", "2026-12-25T10:30", null, null, "2026-12-21T08:00"));
        // the customer's pause (Dec 2-4) moves the scheme's due day to the 23rd: done on the 22nd, on time, never charged
        c = MonthlyHubs.energizedCase(hub, BROKER, "xijiao", "杭州西郊食品有限公司", new MonthlyHubs.Steps(
                "2026-12-22T10:00", "2026-12-22T14:00", "2026-12-23T09:00", "2026-12-23T10:00", "2026-12-24T09:00",
                "2026-12-24T15:00", "2026-12-25T09:00", "2026-12-26T10:00", "2026-12-29T10:30", "2026-12-01T09:00",
                "2026-12-04T09:00", "2026-12-22T08:00"));
    }

    /** The hub's own H2 file database; the PostgreSQL subclass overrides. */
    Map<String, Object> database() {
        return Map.of();
    }

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    // ------------------------------------------------------------------ the earlier days a test builds on

    /** January 1st, 08:00: the plans of December go out. */
    void plansSentOnThe1st() {
        clock(hub).set(at("2027-01-01T08:00"));
        hub.bean(MonthlyDuties.class).plans();
    }

    /** January 5th: dongjiao reports A visited and satisfied, B unreachable; both cases close. */
    void dongjiaoReportsOnThe5th() throws Exception {
        clock(hub).set(at("2027-01-05T10:00"));
        String token = hub.bean(HandoffToken.class).returnVisitTokenFor(DECEMBER, "dongjiao");
        send("station-dongjiao@yekuo.local", "回复: " + token + " 回访计划", a + "：满意 说明：送电很快，服务周到\n"
                + b + ": unreachable phone switched off");
        await().atMost(WAIT).until(() -> "CLOSED".equals(stageOf(a)) && "CLOSED".equals(stageOf(b)));
    }

    /** January 12th: xijiao, silent, is charged and the reps get the month's summary. */
    void xijiaoChargedOnThe12th() {
        clock(hub).set(at("2027-01-12T08:30"));
        hub.bean(ReturnVisits.class).check();
    }

    /** January 1st again, as the assessment run sets it. */
    void assessmentOnThe1st() {
        clock(hub).set(at("2027-01-01T08:00"));
        hub.bean(MonthlyDuties.class).assessment();
    }

    @Test
    void on_the_1st_each_station_gets_its_plan_of_the_cases_energized_last_month_and_a_station_without_cases_a_notice() {
        clock(hub).set(at("2027-01-01T08:00"));
        hub.bean(MonthlyDuties.class).plans();

        HandoffToken tokens = hub.bean(HandoffToken.class);
        List<MonthlyHubs.Mail> plans = outboxMails(hub, "rv-plan-2026-12-");
        assertThat(plans).extracting(MonthlyHubs.Mail::id)
                .containsExactlyInAnyOrder("rv-plan-2026-12-dongjiao", "rv-plan-2026-12-xijiao", "rv-plan-2026-12-chengqu");
        MonthlyHubs.Mail dongjiao = byId(plans, "rv-plan-2026-12-dongjiao");
        assertThat(dongjiao.to()).isEqualTo("station-dongjiao@yekuo.local");
        assertThat(dongjiao.subject()).startsWith(tokens.returnVisitTokenFor(DECEMBER, "dongjiao")).contains("2 户");
        String csv = dongjiao.attachmentText(".csv");
        assertThat(csv.lines().toList()).hasSize(3);
        assertThat(csv).startsWith("\uFEFFcase_no,customer,contact,phone,energized_on")
                .contains(a + ",杭州东郊新材料有限公司,李四,13800000000,2026-12-10")
                .contains(b + ",杭州东园精密机械有限公司,李四,13800000000,2026-12-25");
        assertThat(dongjiao.attachment(".pdf")).startsWith("%PDF".getBytes(StandardCharsets.US_ASCII));
        assertThat(PdfText.of(dongjiao.attachment(".pdf"))).contains(a, b, "杭州东郊新材料有限公司", "回访计划");
        MonthlyHubs.keep("return-visit-plan-2026-12-dongjiao", dongjiao.attachment(".pdf"));
        assertThat(cn.yekuo.hub.documents.PdfA.failedRules(dongjiao.attachment(".pdf"))).as("PDF/A-3b").isEmpty();

        MonthlyHubs.Mail xijiao = byId(plans, "rv-plan-2026-12-xijiao");
        assertThat(xijiao.attachmentText(".csv").lines().toList()).hasSize(2).last().asString().startsWith(c + ",杭州西郊食品有限公司");

        MonthlyHubs.Mail chengqu = byId(plans, "rv-plan-2026-12-chengqu");
        assertThat(chengqu.subject()).startsWith(tokens.returnVisitTokenFor(DECEMBER, "chengqu")).contains("No cases");
        assertThat(chengqu.attachments()).isEmpty();

        // delivered over SMTP by the mail relay
        MimeMessage delivered = mail.await("station-dongjiao@yekuo.local", "INBOX", MailClient.subjectContains("Return-visit plan"), WAIT);
        assertThat(delivered).isNotNull();

        // a rerun (Quartz misfire, a second hub, a catch-up) rebuilds the same plans and mails nothing more
        hub.bean(MonthlyDuties.class).plans();
        assertThat(outboxMails(hub, "rv-plan-2026-12-")).hasSize(3);
        assertThat(hub.bean(ReturnVisits.class).producePlans(DECEMBER, false).get(0).cases()).isNotEmpty();
        assertThat(outboxMails(hub, "rv-plan-2026-12-")).hasSize(3);
    }

    @Test
    void a_station_s_reply_in_chinese_and_english_records_each_visit_closes_the_cases_and_the_reps_get_the_unusable_lines() throws Exception {
        plansSentOnThe1st();
        clock(hub).set(at("2027-01-05T10:00"));
        String token = hub.bean(HandoffToken.class).returnVisitTokenFor(DECEMBER, "dongjiao");
        send("station-dongjiao@yekuo.local", "回复: " + token + " 回访计划", String.join("\n",
                a + "：满意 说明：送电很快，服务周到",
                b + ": unreachable phone switched off",
                "YK-2026-999999: 满意",
                "谢谢",
                "",
                "> " + c + ": 满意"));
        await().atMost(WAIT).until(() -> "CLOSED".equals(stageOf(a)) && "CLOSED".equals(stageOf(b)));

        assertThat(hub.jdbc().queryForList("""
                select t.summary from case_timeline t join yk_case c on c.id = t.case_id where c.case_no = ? and t.kind = 'RETURN_VISIT'""",
                String.class, a)).singleElement().asString().contains("满意", "送电很快，服务周到");
        assertThat(hub.jdbc().queryForList("select satisfaction from return_visit_case where case_no in (?, ?) order by case_no",
                String.class, a, b)).containsExactly("SATISFIED", "UNREACHABLE");
        assertThat(stageOf(c)).as("xijiao's case is untouched").isEqualTo("ENERGIZED");
        await().atMost(WAIT).until(() -> !outboxMails(hub, "rv-unusable-").isEmpty());
        MonthlyHubs.Mail notice = outboxMails(hub, "rv-unusable-").get(0);
        assertThat(notice.to()).isEqualTo("reps@yekuo.local");
        assertThat(notice.text()).contains("YK-2026-999999", "不在本供电所本月的回访计划中", "谢谢", "does not start with a case number")
                .doesNotContain("> " + c);
        await().atMost(WAIT).until(() -> mail.messages("hub@yekuo.local", "Processed", MailClient.subjectContains(token)).size() == 1);

        // xijiao's token from dongjiao's mailbox, and a forged token: quarantined, nothing recorded
        String xijiao = hub.bean(HandoffToken.class).returnVisitTokenFor(DECEMBER, "xijiao");
        send("station-dongjiao@yekuo.local", "Re: " + xijiao, c + ": SATISFIED");
        // the MAC's last hex digit changed (a fixed "00" was the real MAC one run in 256, and the "forgery" was applied)
        char last = xijiao.charAt(xijiao.length() - 2);
        send("station-xijiao@yekuo.local", "Re: " + xijiao.substring(0, xijiao.length() - 2) + (last == '0' ? '1' : '0') + "]",
                c + ": SATISFIED");
        await().atMost(WAIT).until(() -> mail.messages("hub@yekuo.local", "Quarantine", MailClient.subjectContains("YK-RV-2026-12/xijiao")).size() == 2);
        assertThat(stageOf(c)).isEqualTo("ENERGIZED");
        assertThat(hub.jdbc().queryForObject("select reported_at from return_visit_plan where station = 'xijiao'", Object.class)).isNull();
    }

    @Test
    void a_silent_station_is_charged_on_the_12th_and_not_before_and_the_reps_then_get_the_month_s_summary() throws Exception {
        plansSentOnThe1st();
        dongjiaoReportsOnThe5th();
        ReturnVisits visits = hub.bean(ReturnVisits.class);
        // the table's RETURN_VISIT_REPORT row: 10 calendar days after the plan's day, so the plan of the 1st is due at
        // the end of the 11th
        clock(hub).set(at("2027-01-11T23:00"));
        visits.check();
        assertThat(stationEntries()).isEmpty();
        assertThat(outboxMails(hub, "rv-summary-")).isEmpty();

        clock(hub).set(at("2027-01-12T08:30"));
        visits.check();
        visits.check();
        assertThat(stationEntries()).containsExactly("station-xijiao RETURN_VISIT_REPORT 1.00");
        List<MonthlyHubs.Mail> summary = outboxMails(hub, "rv-summary-2026-12");
        assertThat(summary).as("to the representatives and upward to the assessment office").extracting(MonthlyHubs.Mail::to)
                .containsExactly("reps@yekuo.local", "assessment@yekuo.local");
        String csv = summary.get(0).attachmentText(".csv");
        assertThat(csv.lines().toList()).containsExactly(
                "\uFEFFstation,planned,visited,satisfied,neutral,dissatisfied,unreachable,not_visited,report,satisfaction_rate,plan_sent_on,plan_late",
                "chengqu,0,0,0,0,0,0,0,NO_CASES,—,2027-01-01,false",
                "dongjiao,2,2,1,0,0,1,0,REPORTED,100.0%,2027-01-01,false",
                "xijiao,1,0,0,0,0,0,1,MISSING,—,2027-01-01,false");
        assertThat(summary.get(0).text()).contains("满意率 Satisfaction (满意 among those reached): 100.0%",
                // per representative: A and B are dongjiao's, so 王敏's; C (xijiao, 李华's) was not visited
                "王敏: 2 visited, 满意率 100.0%", "李华: 0 visited, 满意率 —");
        assertThat(PdfText.of(summary.get(0).attachment(".pdf"))).contains("各客户代表所办工单回访满意率", "王敏", "李华");
        assertThat(PdfText.of(summary.get(0).attachment(".pdf"))).contains("回访情况汇总", "未联系上", b, "xijiao");
        MonthlyHubs.keep("return-visit-summary-2026-12", summary.get(0).attachment(".pdf"));
        assertThat(cn.yekuo.hub.documents.PdfA.failedRules(summary.get(0).attachment(".pdf"))).as("PDF/A-3b").isEmpty();
    }

    @Test
    void the_assessment_report_matches_the_hand_computed_month_and_the_customer_s_pause_is_not_charged() {
        clock(hub).set(at("2027-01-01T08:00"));
        AssessmentReports reports = hub.bean(AssessmentReports.class);
        hub.bean(MonthlyDuties.class).assessment();
        AssessmentReports.Report r = reports.compute(DECEMBER);

        // production: scheme ×3 (B late), design review ×3, mid-inspection ×3, acceptance ×3, energization ×3 → 14 of 15
        // on time; marketing: scheme ×3 (B late), the joint acceptance ×3 and energization ×3 → 8 of 9; construction: its
        // part of the joint energization ×3
        assertThat(r.units()).extracting(u -> u.unit() + " " + u.completed() + "/" + u.onTime() + " " + u.rateText() + " "
                        + u.overruns() + " " + u.deduction())
                .contains("production 15/14 93.3% 1 1.0", "marketing 9/8 88.9% 1 1.0", "customer-center 3/3 100.0% 0 0.0",
                        "construction 3/3 100.0% 0 0.0");
        assertThat(r.nodes()).extracting(n -> n.node() + " " + n.completed() + "/" + n.onTime() + " " + n.rateText())
                .containsExactly("SCHEME_REPLY 3/2 66.7%", "DESIGN_REVIEW 3/3 100.0%", "MID_INSPECTION 3/3 100.0%",
                        "COMPLETION_ACCEPTANCE 3/3 100.0%", "ENERGIZATION 3/3 100.0%");
        assertThat(r.energizedCases()).isEqualTo(3);
        assertThat(r.allOnTimeCases()).as("A and the paused C").isEqualTo(2);
        assertThat(r.allOnTimeText()).isEqualTo("66.7%");
        assertThat(r.overruns()).extracting(o -> o.caseNo() + " " + o.node() + " " + o.due() + " " + o.done() + " " + o.daysOver())
                .containsExactly(b + " 供电方案答复 2026-12-18 23:59 2026-12-21 10:00 1");
        assertThat(r.totalOverruns()).isEqualTo(2);
        assertThat(r.totalDeduction()).isEqualTo("2.0");
        assertThat(hub.jdbc().queryForObject("select count(*) from assessment_entry e join yk_case c on c.id = e.case_id where c.case_no = ?",
                Integer.class, c)).as("the paused case is never charged").isZero();

        List<MonthlyHubs.Mail> mailed = outboxMails(hub, "assessment-2026-12-");
        assertThat(mailed).extracting(MonthlyHubs.Mail::to).containsExactly("assessment@yekuo.local", "reps@yekuo.local");
        assertThat(mailed.get(0).attachmentText(".csv")).isEqualTo(reports.csv(r))
                .contains("overrun,,生产技术部、市场营销部,,,,,," + b + ",供电方案答复,2026-12-18 23:59,2026-12-21 10:00,1");
        assertThat(PdfText.of(mailed.get(0).attachment(".pdf"))).contains("经济责任制考核报告", "93.3%", b);
        MonthlyHubs.keep("assessment-2026-12", mailed.get(0).attachment(".pdf"));
        assertThat(cn.yekuo.hub.documents.PdfA.failedRules(mailed.get(0).attachment(".pdf"))).as("PDF/A-3b").isEmpty();

        // the same month again: rebuilt, not mailed; resent only when asked
        hub.bean(MonthlyDuties.class).assessment();
        assertThat(outboxMails(hub, "assessment-2026-12-")).hasSize(2);
        reports.produce(DECEMBER, true);
        assertThat(outboxMails(hub, "assessment-2026-12-")).extracting(MonthlyHubs.Mail::id).containsExactly(
                "assessment-2026-12-assessment", "assessment-2026-12-reps", "assessment-2026-12-assessment-r2", "assessment-2026-12-reps-r2");
        assertThat(new BigDecimal(r.totalDeduction())).isEqualByComparingTo("2");
    }

    @Test
    void the_http_api_serves_the_same_report_as_pdf_and_csv_and_a_representative_may_ask_for_a_resend() throws Exception {
        plansSentOnThe1st();
        dongjiaoReportsOnThe5th();
        xijiaoChargedOnThe12th();
        assessmentOnThe1st();
        AssessmentReports reports = hub.bean(AssessmentReports.class);
        HttpResponse<String> csv = http("GET", "/api/reports/assessment?month=2026-12", "viewer", "text/csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.body()).isEqualTo(reports.csv(reports.compute(DECEMBER)));
        HttpResponse<String> pdf = http("GET", "/api/reports/assessment?month=2026-12", "viewer", "application/pdf");
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/pdf");

        assertThat(http("POST", "/api/reports/return-visit-summary/run?month=2026-12", "viewer", "application/json").statusCode())
                .isEqualTo(403);
        HttpResponse<String> again = http("POST", "/api/reports/return-visit-summary/run?month=2026-12", "rep", "application/json");
        assertThat(again.body()).contains("\"mailings\":1");
        assertThat(outboxMails(hub, "rv-summary-2026-12")).as("the representatives' and the assessment office's").hasSize(2);
        HttpResponse<String> resent = http("POST", "/api/reports/return-visit-summary/run?month=2026-12&resend=true", "rep", "application/json");
        assertThat(resent.statusCode()).isEqualTo(200);
        assertThat(resent.body()).contains("\"mailings\":2");
        assertThat(outboxMails(hub, "rv-summary-2026-12")).extracting(MonthlyHubs.Mail::id)
                .containsExactly("rv-summary-2026-12", "rv-summary-2026-12-assessment", "rv-summary-2026-12-r2",
                        "rv-summary-2026-12-assessment-r2");
        assertThat(http("POST", "/api/reports/return-visit-plans/run?month=2026-12&resend=true", "rep", "application/json").body())
                .contains("\"mailings\":2");
        assertThat(outboxMails(hub, "rv-plan-2026-12-")).hasSize(6);
    }

    @Test
    void a_6_hex_plan_token_is_good_only_for_a_plan_sent_before_the_cut_over_and_a_note_is_kept_whole_never_cut() throws Exception {
        plansSentOnThe1st();
        String xijiao = hub.bean(HandoffToken.class).returnVisitTokenFor(DECEMBER, "xijiao");
        String legacy = xijiao.substring(0, xijiao.length() - 7) + "]"; // the first 6 of the 12 hex digits
        String station = "station-xijiao@yekuo.local";
        // the plan was sent after the cut-over (this hub's database is new): a 6-hex token for it is a guess
        String guess = send(station, "Re: " + legacy, c + ": SATISFIED");
        assertThat(awaitReasons(guess)).contains("\"FORGED_TOKEN\"");
        // a note over a reply's NOTE limit (20 000 characters) is refused whole, not cut
        String tooLong = send(station, "Re: " + xijiao, c + "：满意 说明：" + "长".repeat(20_001));
        assertThat(awaitReasons(tooLong)).contains("\"FIELD_TOO_LONG\"");
        assertThat(stageOf(c)).isEqualTo("ENERGIZED");
        assertThat(hub.jdbc().queryForObject("select satisfaction from return_visit_case where case_no = ?", String.class, c)).isNull();

        long before = hub.jdbc().queryForObject("select last_plan_id from token_cutover", Long.class);
        // as if the hub had been upgraded after December's plans went out with 6-hex tokens
        hub.jdbc().update("update token_cutover set last_plan_id = (select id from return_visit_plan where report_month = ? and station = ?)",
                DECEMBER.toString(), "xijiao");
        try {
            send(station, "Re: " + legacy, c + "：满意 说明：" + "好".repeat(5_000));
            await().atMost(WAIT).until(() -> "CLOSED".equals(stageOf(c)));
            assertThat(hub.jdbc().queryForObject("select note from return_visit_case where case_no = ?", String.class, c))
                    .as("kept whole").isEqualTo("好".repeat(5_000));
        } finally {
            hub.jdbc().update("update token_cutover set last_plan_id = ?", before);
        }
    }

    private String awaitReasons(String messageId) {
        await().atMost(WAIT).until(() -> hub.jdbc().queryForObject("select count(*) from unit_mail where message_id = ?",
                Integer.class, messageId) == 1);
        return hub.jdbc().queryForObject("select reasons from unit_mail where message_id = ?", String.class, messageId);
    }

    // ------------------------------------------------------------------ helpers

    private HttpResponse<String> http(String method, String path, String user, String accept) {
        int port = Integer.parseInt(hub.bean(org.springframework.core.env.Environment.class).getProperty("local.server.port"));
        return new RepClient(port, user, user).request(method, path, accept);
    }

    private String send(String from, String subject, String body) {
        return mail.sendText(from, "hub@yekuo.local", subject, body);
    }

    private String stageOf(String caseNo) {
        return hub.jdbc().queryForObject("select stage from yk_case where case_no = ?", String.class, caseNo);
    }

    private List<String> stationEntries() {
        return hub.jdbc().queryForList("select unit || ' ' || node || ' ' || cast(deduction as varchar(20)) from assessment_entry"
                + " where plan_id is not null order by unit", String.class);
    }

    private static MonthlyHubs.Mail byId(List<MonthlyHubs.Mail> mails, String id) {
        return mails.stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
    }

    static Path reports() {
        return MonthlyHubs.REPORTS;
    }
}
