package cn.yekuo.hub.returnvisits;

import cn.yekuo.hub.reports.Csv;
import cn.yekuo.hub.reports.MonthlyRuns;
import cn.yekuo.hub.reports.ReportMails;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import cn.yekuo.hub.rendering.DocumentRenderer;
import cn.yekuo.hub.cases.Roster;
import cn.yekuo.hub.domain.Unit;
import cn.yekuo.hub.domain.time.DayKind;
import cn.yekuo.hub.domain.time.Node;
import cn.yekuo.hub.domain.time.SlaClock;
import cn.yekuo.hub.domain.time.TimeLimitRule;
import cn.yekuo.hub.domain.time.TimeLimitRules;
import cn.yekuo.hub.tokens.HandoffToken;
import cn.yekuo.hub.mailtransport.MailAttachment;
import cn.yekuo.hub.config.HubProperties;

/**
 * Return visits (回访, docs/domain.md step 7, docs/contract.md §2): the monthly plan of each supply station with the cases of its area
 * energized in the month, the stations' silence charged after the rule table's RETURN_VISIT_REPORT limit, and the month's
 * summary to the representatives once every plan's report time has passed. Replies are {@link ReturnVisitReplies}.
 *
 * <p>A plan is stored when first produced ({@code return_visit_plan}, {@code return_visit_case}); a rerun rebuilds the
 * documents from the stored rows and mails nothing unless asked to resend.
 */
@Component
public class ReturnVisits {

    private static final Logger log = LoggerFactory.getLogger(ReturnVisits.class);
    public static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE;
    public static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final ReturnVisitStore store;
    // not a route's transacted: one transaction per month, for the monthly route's catch-up of several months and for HTTP resends
    private final TransactionTemplate tx;
    private final MonthlyRuns runs;
    private final ReportMails mails;
    private final DocumentRenderer renderer;
    private final HandoffToken tokens;
    private final Clock clock;
    private final ZoneId zone;
    private final TimeLimitRules rules;
    private final SlaClock clocks;
    private final Roster roster;
    private final String companyName;

    public ReturnVisits(ReturnVisitStore store, TransactionTemplate tx, MonthlyRuns runs, ReportMails mails, DocumentRenderer renderer,
                        HandoffToken tokens, Clock clock, HubProperties hub, TimeLimitRules rules, SlaClock clocks, Roster roster) {
        this.store = store;
        this.roster = roster;
        this.tx = tx;
        this.runs = runs;
        this.mails = mails;
        this.renderer = renderer;
        this.tokens = tokens;
        this.clock = clock;
        this.zone = hub.businessZone();
        this.rules = rules;
        this.clocks = clocks;
        this.companyName = hub.documents().companyName();
    }

    // ------------------------------------------------------------------ plans

    /** A case of a plan; values as shown (never null). */
    public record PlanCase(String caseNo, String customerName, String contactName, String phone, String energizedOn,
                           String address) {
    }

    /** What the plan template shows. */
    public record PlanView(String title, String companyName, String metaLeft, String metaCenter, String issued,
                           String stationName, String monthText, String dueText, String token, List<PlanCase> cases) {
    }

    /** The plan of a station as produced: its documents and the facts. */
    public record Plan(long id, YearMonth month, String station, String token, OffsetDateTime reportDueAt,
                       List<PlanCase> cases, byte[] pdf, String csv) {
    }

    /**
     * Produces the month's plans (one per configured station), in one transaction with their mails in the outbox.
     * Mails only the first time, or again when {@code resend}; returns the plans.
     */
    public List<Plan> producePlans(YearMonth month, boolean resend) {
        return tx.execute(status -> {
            runs.lock();
            OffsetDateTime now = OffsetDateTime.now(clock);
            boolean produced = runs.find(MonthlyRuns.PLANS, month).isPresent();
            List<Plan> plans = new ArrayList<>();
            for (String station : mails.directory().stations().keySet()) {
                plans.add(plan(month, station, now));
            }
            if (produced && !resend) {
                log.info("Return-visit plans of {} were produced before: rebuilt, not mailed again", month);
                return plans;
            }
            int mailing = runs.recordMailing(MonthlyRuns.PLANS, month, now, sha256(plans.stream().map(Plan::csv).toList()));
            for (Plan p : plans) {
                mailPlan(p, mailing, now);
            }
            log.info("Return-visit plans of {} mailed to {} stations ({} cases), mailing {}", month, plans.size(),
                    plans.stream().mapToInt(p -> p.cases().size()).sum(), mailing);
            return plans;
        });
    }

    /**
     * The report time of a plan sent at {@code sentAt}: the RETURN_VISIT_REPORT row of the rule set in force that day,
     * counted like every limit of the table (the plan's day not counted: 10 calendar days from the 1st end with the
     * 11th); a rule set without that row gives the procedure's 10 days.
     */
    OffsetDateTime reportDue(OffsetDateTime sentAt) {
        return clocks.deadline(reportRule(sentAt), sentAt).dueAt();
    }

    /** The plan's row (its limit and deduction points); a rule set without it gives the procedure's 10 days and 1.0. */
    private TimeLimitRule reportRule(OffsetDateTime sentAt) {
        LocalDate sentOn = sentAt.atZoneSameInstant(zone).toLocalDate();
        return rules.ruleFor(Node.RETURN_VISIT_REPORT, 1, sentOn)
                .orElse(TimeLimitRule.of(Node.RETURN_VISIT_REPORT, PROCEDURE_REPORT_DAYS, DayKind.CALENDAR));
    }

    /** 回访: the stations report "within 10 days" (docs/domain.md, Return visits). */
    private static final int PROCEDURE_REPORT_DAYS = 10;

    private Plan plan(YearMonth month, String station, OffsetDateTime now) {
        Optional<Long> existing = store.findPlanId(month, station);
        long id;
        if (existing.isEmpty()) {
            List<ReturnVisitStore.EnergizedCase> cases = energizedIn(month, station);
            OffsetDateTime due = reportDue(now);
            String token = tokens.returnVisitTokenFor(month, station);
            id = store.insertPlan(month, station, token, cases.size(), now, due);
            for (ReturnVisitStore.EnergizedCase c : cases) {
                store.insertPlanCase(id, c);
            }
        } else {
            id = existing.get();
        }
        ReturnVisitStore.PlanHead head = store.planHead(id);
        OffsetDateTime due = head.reportDueAt();
        String token = head.token();
        List<PlanCase> cases = store.plannedCases(id).stream()
                .map(c -> new PlanCase(c.caseNo(), c.customerName(), orDash(c.contactName()), orDash(c.phone()),
                        c.energizedAt().atZoneSameInstant(zone).format(DAY), orDash(c.siteAddress())))
                .toList();
        Csv csv = new Csv().row("case_no", "customer", "contact", "phone", "energized_on", "address", "satisfaction", "note");
        cases.forEach(c -> csv.row(c.caseNo(), c.customerName(), c.contactName(), c.phone(), c.energizedOn(), c.address(), "", ""));
        String monthText = month.getYear() + " 年 " + month.getMonthValue() + " 月";
        PlanView view = new PlanView("回访计划", companyName, "月份：" + monthText, "供电所：" + station,
                OffsetDateTime.now(clock).atZoneSameInstant(zone).format(DAY), station + " 供电所", monthText,
                due.atZoneSameInstant(zone).format(DAY), token, cases);
        byte[] pdf = renderer.renderReport("return-visit-plan.ftlh", view, "回访计划 " + month + " " + station, token);
        return new Plan(id, month, station, token, due, cases, pdf, csv.toString());
    }

    /** Cases of the station's area energized in the month (Asia/Shanghai), whether closed since or not. */
    List<ReturnVisitStore.EnergizedCase> energizedIn(YearMonth month, String station) {
        OffsetDateTime from = month.atDay(1).atStartOfDay(zone).toOffsetDateTime();
        OffsetDateTime to = month.plusMonths(1).atDay(1).atStartOfDay(zone).toOffsetDateTime();
        return store.energizedBetween(station, from, to);
    }

    private void mailPlan(Plan p, int mailing, OffsetDateTime now) {
        String to = mails.directory().stationAddress(p.station()).orElseThrow();
        String base = "rv-plan-" + p.month() + "-" + p.station();
        String due = p.reportDueAt().atZoneSameInstant(zone).format(DAY);
        String name = "return-visit-plan-" + p.month() + "-" + p.station();
        if (p.cases().isEmpty()) {
            String subject = p.token() + " 回访计划 Return-visit plan " + p.month() + "：本月无回访案件 No cases";
            String text = mails.text("return-visit-plan-empty.ftl", Map.of("station", p.station(), "month", p.month().toString()));
            mails.send(MonthlyRuns.outboxId(base, mailing), to, "RETURN_VISIT_PLAN", subject, text, List.of(), now);
            return;
        }
        String subject = p.token() + " 回访计划 Return-visit plan " + p.month() + "（" + p.cases().size() + " 户 cases）";
        String text = mails.text("return-visit-plan.ftl", Map.of("station", p.station(), "month", p.month().toString(),
                "due", due, "token", p.token(), "cases", p.cases()));
        List<MailAttachment> files = List.of(ReportMails.pdf(name, p.pdf()), ReportMails.csv(name, p.csv()));
        mails.send(MonthlyRuns.outboxId(base, mailing), to, "RETURN_VISIT_PLAN", subject, text, files, now);
    }

    // ------------------------------------------------------------------ silence and the month's summary

    /**
     * Charges each plan with cases that is still unreported after its due time (once: {@code charged_at} and the unique
     * (plan, unit) of the entry), then mails the summary of every month whose plans are all past their report time.
     */
    public void check() {
        tx.executeWithoutResult(status -> {
            runs.lock();
            OffsetDateTime now = OffsetDateTime.now(clock);
            for (ReturnVisitStore.OverduePlan p : store.overduePlans(now)) {
                OffsetDateTime due = p.reportDueAt();
                int days = (int) Math.max(1, ChronoUnit.DAYS.between(due.atZoneSameInstant(zone).toLocalDate(),
                        now.atZoneSameInstant(zone).toLocalDate()));
                store.charge(p.id(), stationUnit(p.station()), Node.RETURN_VISIT_REPORT, due, days,
                        reportRule(p.sentAt()).deduction(), now);
                log.warn("Supply station {} did not report the return visits of {} by {}: charged", p.station(), p.reportMonth(), due);
            }
            for (YearMonth m : store.monthsWithoutSummary()) {
                // the summary goes out once every plan of the month is past its report time (the 11th), not earlier
                if (store.openPlans(m, now) == 0) {
                    mailSummary(summary(m), now);
                }
            }
        });
    }

    /** The assessment unit of a supply station: {@code station-<code>}, as its mailbox (not a unit of Unit). */
    public static String stationUnit(String station) {
        return "station-" + station;
    }

    /** Rebuilds the month's summary; mails it if it never was, or again when {@code resend}. */
    public Summary produceSummary(YearMonth month, boolean resend) {
        return tx.execute(status -> {
            runs.lock();
            Summary s = summary(month);
            if (resend || runs.find(MonthlyRuns.SUMMARY, month).isEmpty()) {
                mailSummary(s, OffsetDateTime.now(clock));
            }
            return s;
        });
    }

    /**
     * One station's month. {@code satisfactionRate}: 满意 among the customers reached (满意 + 一般 + 不满意), e.g. 66.7%,
     * or — when nobody was reached; {@code planLate}: the plan went out on or after the 3rd (the procedure: before it).
     */
    public record StationLine(String station, int planned, int visited, int satisfied, int neutral, int dissatisfied,
                              int unreachable, int notVisited, String reportStatus, String satisfactionRate,
                              String planSentOn, boolean planLate) {
    }

    /** 回访计划 "before the 3rd of each month": a plan sent on the 3rd or later is late. */
    static final int PLAN_LAST_DAY = 2;

    /** 满意 / (满意 + 一般 + 不满意) as a percentage with one decimal, — when nobody was reached. */
    static String satisfactionRate(int satisfied, int neutral, int dissatisfied) {
        int reached = satisfied + neutral + dissatisfied;
        return reached == 0 ? "—" : new BigDecimal(satisfied * 100).divide(BigDecimal.valueOf(reached), 1, java.math.RoundingMode.HALF_UP) + "%";
    }

    public record Unreachable(String station, String caseNo, String customerName, String contactName, String phone, String note) {
    }

    /** One representative's customers visited in the month (满意率 as for a station). */
    public record RepresentativeLine(String id, String name, int visited, int satisfied, int neutral, int dissatisfied,
                                     int unreachable, String satisfactionRate) {
    }

    public record SummaryView(String title, String companyName, String metaLeft, String metaCenter, String issued,
                              List<StationLine> stations, List<Unreachable> unreachable, List<String> missing,
                              String satisfactionRate, List<RepresentativeLine> representatives) {
    }

    public record Summary(YearMonth month, SummaryView view, byte[] pdf, String csv) {
    }

    public Summary summary(YearMonth month) {
        List<StationLine> lines = new ArrayList<>();
        List<Unreachable> unreachable = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Map<String, Map<Satisfaction, Integer>> byRepresentative = new LinkedHashMap<>();
        roster.all().forEach(r -> byRepresentative.put(r.id(), new java.util.EnumMap<>(Satisfaction.class)));
        for (ReturnVisitStore.MonthPlan plan : store.plansOf(month)) {
            String station = plan.station();
            Map<Satisfaction, Integer> counts = new LinkedHashMap<>();
            for (Satisfaction s : Satisfaction.values()) {
                counts.put(s, 0);
            }
            int[] visited = {0};
            for (ReturnVisitStore.VisitedCase c : store.visitedCases(plan.id())) {
                String s = c.satisfaction();
                if (s != null) {
                    visited[0]++;
                    counts.merge(Satisfaction.valueOf(s), 1, Integer::sum);
                    byRepresentative.get(roster.of(c.representative()).id()).merge(Satisfaction.valueOf(s), 1, Integer::sum);
                    if (Satisfaction.valueOf(s) == Satisfaction.UNREACHABLE) {
                        unreachable.add(new Unreachable(station, c.caseNo(), c.customerName(),
                                orDash(c.contactName()), orDash(c.phone()), orDash(c.note())));
                    }
                }
            }
            int planned = plan.caseCount();
            boolean reported = plan.reported();
            boolean charged = plan.charged();
            String status = planned == 0 ? "无回访案件" : reported ? (charged ? "逾期上报（已考核）" : "已上报") : charged ? "未上报（已考核）" : "未上报";
            if (planned > 0 && charged) {
                missing.add(station);
            }
            LocalDate sentOn = plan.sentAt().atZoneSameInstant(zone).toLocalDate();
            lines.add(new StationLine(station, planned, visited[0], counts.get(Satisfaction.SATISFIED), counts.get(Satisfaction.NEUTRAL),
                    counts.get(Satisfaction.DISSATISFIED), counts.get(Satisfaction.UNREACHABLE), planned - visited[0], status,
                    satisfactionRate(counts.get(Satisfaction.SATISFIED), counts.get(Satisfaction.NEUTRAL), counts.get(Satisfaction.DISSATISFIED)),
                    sentOn.toString(), sentOn.getDayOfMonth() > PLAN_LAST_DAY));
        }
        Csv csv = new Csv().row("station", "planned", "visited", "satisfied", "neutral", "dissatisfied", "unreachable", "not_visited",
                "report", "satisfaction_rate", "plan_sent_on", "plan_late");
        lines.forEach(l -> csv.row(l.station(), l.planned(), l.visited(), l.satisfied(), l.neutral(), l.dissatisfied(),
                l.unreachable(), l.notVisited(), missing.contains(l.station()) ? "MISSING" : l.planned() == 0 ? "NO_CASES" : "REPORTED",
                l.satisfactionRate(), l.planSentOn(), l.planLate()));
        int satisfied = lines.stream().mapToInt(StationLine::satisfied).sum();
        int neutral = lines.stream().mapToInt(StationLine::neutral).sum();
        int dissatisfied = lines.stream().mapToInt(StationLine::dissatisfied).sum();
        String totalRate = satisfactionRate(satisfied, neutral, dissatisfied);
        List<RepresentativeLine> representatives = new ArrayList<>();
        byRepresentative.forEach((id, n) -> {
            int sat = n.getOrDefault(Satisfaction.SATISFIED, 0);
            int neu = n.getOrDefault(Satisfaction.NEUTRAL, 0);
            int dis = n.getOrDefault(Satisfaction.DISSATISFIED, 0);
            int unr = n.getOrDefault(Satisfaction.UNREACHABLE, 0);
            representatives.add(new RepresentativeLine(id, roster.of(id).name(), sat + neu + dis + unr, sat, neu, dis, unr,
                    satisfactionRate(sat, neu, dis)));
        });
        String monthText = month.getYear() + " 年 " + month.getMonthValue() + " 月";
        SummaryView view = new SummaryView("回访情况汇总", companyName, "月份：" + monthText, "客户代表",
                OffsetDateTime.now(clock).atZoneSameInstant(zone).format(DAY), lines, unreachable, missing, totalRate,
                representatives);
        byte[] pdf = renderer.renderReport("return-visit-summary.ftlh", view, "回访情况汇总 " + month, "return visits " + month);
        return new Summary(month, view, pdf, csv.toString());
    }

    /** To the representatives, who compile it, and upward to the assessment office (汇总上报). */
    private void mailSummary(Summary s, OffsetDateTime now) {
        int mailing = runs.recordMailing(MonthlyRuns.SUMMARY, s.month(), now, sha256(List.of(s.csv())));
        String subject = "【业扩报装】回访情况汇总 Return-visit summary " + s.month();
        String text = mails.text("return-visit-summary.ftl", Map.of("month", s.month().toString(), "stations", s.view().stations(),
                "satisfactionRate", s.view().satisfactionRate(), "representatives", s.view().representatives()));
        String name = "return-visit-summary-" + s.month();
        Map<String, String> to = new LinkedHashMap<>();
        to.put("", mails.directory().repsAddress());
        to.put("-assessment", mails.directory().addressOf(Unit.ASSESSMENT));
        to.forEach((suffix, address) -> mails.send(MonthlyRuns.outboxId("rv-summary-" + s.month() + suffix, mailing), address,
                "RETURN_VISIT_SUMMARY", subject, text, List.of(ReportMails.pdf(name, s.pdf()), ReportMails.csv(name, s.csv())), now));
        log.info("Return-visit summary of {} mailed to the representatives and the assessment office (mailing {})", s.month(), mailing);
    }

    static String orDash(String s) {
        return s == null || s.isBlank() ? "—" : s;
    }

    public static String sha256(List<String> parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            parts.forEach(p -> d.update(p.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
