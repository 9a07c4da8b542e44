package cn.yekuo.hub.assessment;

import cn.yekuo.hub.reports.Csv;
import cn.yekuo.hub.reports.MonthlyRuns;
import cn.yekuo.hub.reports.ReportMails;
import cn.yekuo.hub.returnvisits.ReturnVisits;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import cn.yekuo.hub.rendering.DocumentRenderer;
import cn.yekuo.hub.domain.Unit;
import cn.yekuo.hub.domain.time.Node;
import cn.yekuo.hub.config.HubProperties;

/**
 * The monthly economic-responsibility assessment (经济责任制考核, issue 6 point 4), one computation for the mail, the
 * CSV and the PDF of the HTTP API:
 * <ul>
 * <li>per unit: assessment entries whose deadline fell in the month (count and deduction points), and the on-time rate
 *     of the timed nodes it was responsible for that completed in the month;</li>
 * <li>per node: nodes completed in the month, those with overrun 0, the rate (达标率);</li>
 * <li>the share of cases energized in the month whose every node was on time;</li>
 * <li>the overruns: nodes completed in the month with overrun days &gt; 0 (the clocks already leave out the customer's
 *     pauses, so a paused case is charged only for the utility's own days).</li>
 * </ul>
 */
@Component
public class AssessmentReports {

    private static final Logger log = LoggerFactory.getLogger(AssessmentReports.class);

    private final AssessmentStore store;
    // not a route's transacted: one transaction per month, for the monthly route's catch-up of several months and for HTTP resends
    private final TransactionTemplate tx;
    private final MonthlyRuns runs;
    private final ReportMails mails;
    private final DocumentRenderer renderer;
    private final Clock clock;
    private final ZoneId zone;
    private final String companyName;

    public AssessmentReports(AssessmentStore store, TransactionTemplate tx, MonthlyRuns runs, ReportMails mails, DocumentRenderer renderer,
                             Clock clock, HubProperties hub) {
        this.store = store;
        this.tx = tx;
        this.runs = runs;
        this.mails = mails;
        this.renderer = renderer;
        this.clock = clock;
        this.zone = hub.businessZone();
        this.companyName = hub.documents().companyName();
    }

    /** {@code overruns} and {@code nonCooperation}: the unit's entries of each cause that were not waived. */
    public record UnitLine(String unit, String name, int completed, int onTime, String rateText, int percent, boolean low,
                           int overruns, String deduction, int nonCooperation) {
    }

    public record NodeLine(String node, String name, int completed, int onTime, String rateText) {
    }

    public record Overrun(String caseNo, String node, String units, String due, String done, int daysOver) {
    }

    /**
     * Every entry of the month with its cause: {@code cause} OVERRUN or NON_COOPERATION, {@code causeText} what the
     * report prints (超期 n 天 / 未按要求配合：reason), {@code waived} with the lead's reason in {@code note}.
     */
    public record EntryLine(String caseNo, String unit, String unitName, String node, String cause, String causeText,
                            String due, int daysOver, String deduction, boolean waived, String note) {
    }

    /** Everything the report shows; the {@code title}…{@code issued} fields feed the template's frame. */
    public record Report(YearMonth month, String title, String companyName, String metaLeft, String metaCenter, String issued,
                         List<UnitLine> units, List<UnitLine> unitRates, List<NodeLine> nodes, List<Overrun> overruns,
                         int energizedCases, int allOnTimeCases, String allOnTimeText, int totalOverruns, String totalDeduction,
                         List<EntryLine> entries, int totalNonCooperation) {
    }

    public Report compute(YearMonth month) {
        OffsetDateTime from = month.atDay(1).atStartOfDay(zone).toOffsetDateTime();
        OffsetDateTime to = month.plusMonths(1).atDay(1).atStartOfDay(zone).toOffsetDateTime();
        Map<String, int[]> unitNodes = new LinkedHashMap<>();   // completed, on time
        Map<String, int[]> unitEntries = new LinkedHashMap<>(); // overruns, non-cooperation (not waived)
        Map<String, BigDecimal> unitDeduction = new HashMap<>();
        for (Unit u : Unit.values()) {
            if (u != Unit.ASSESSMENT && u != Unit.CUSTOMER_REP) {
                unitNodes.put(u.code(), new int[2]);
            }
        }
        Map<Node, int[]> nodes = new LinkedHashMap<>();
        for (Node n : Node.values()) {
            // the construction unit's nodes are listed once a rule set times them (none by default)
            if (n != Node.RETURN_VISIT_REPORT && n != Node.DESIGN && n != Node.RECTIFICATION) {
                nodes.put(n, new int[2]);
            }
        }
        List<Overrun> overruns = new ArrayList<>();
        for (AssessmentStore.CompletedNode done : store.nodesCompletedBetween(from, to)) {
            Node node = done.node();
            int over = done.overrunDays();
            int[] n = nodes.computeIfAbsent(node, k -> new int[2]);
            n[0]++;
            if (over == 0) {
                n[1]++;
            }
            for (String unit : done.responsible().split(",")) {
                int[] u = unitNodes.computeIfAbsent(unit, k -> new int[2]);
                u[0]++;
                if (over == 0) {
                    u[1]++;
                }
            }
            if (over > 0) {
                overruns.add(new Overrun(done.caseNo(), node.chinese(), names(done.responsible()),
                        minute(done.dueAt()), minute(done.completedAt()), over));
            }
        }
        List<EntryLine> entries = new ArrayList<>();
        for (AssessmentStore.Charge charge : store.chargesDueBetween(from, to)) {
            String unit = charge.unit();
            if (!charge.waived()) {
                unitEntries.computeIfAbsent(unit, k -> new int[2])[charge.overrun() ? 0 : 1]++;
            }
            unitDeduction.merge(unit, charge.deduction(), BigDecimal::add);
            unitNodes.computeIfAbsent(unit, k -> new int[2]);
            entries.add(entryLine(charge));
        }
        // cases energized in the month: on time when no node of theirs ran over
        int[] cases = {0, 0};
        for (AssessmentStore.EnergizedCase energized : store.casesEnergizedBetween(from, to)) {
            cases[0]++;
            if (energized.lateNodes() == 0) {
                cases[1]++;
            }
        }
        List<UnitLine> units = new ArrayList<>();
        unitNodes.forEach((unit, n) -> units.add(unitLine(unit, n, unitEntries.getOrDefault(unit, new int[2]),
                unitDeduction.getOrDefault(unit, BigDecimal.ZERO))));
        List<NodeLine> nodeLines = new ArrayList<>();
        nodes.forEach((node, n) -> nodeLines.add(new NodeLine(node.name(), node.chinese(), n[0], n[1], rate(n[1], n[0]))));
        BigDecimal total = unitDeduction.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        int totalOverruns = unitEntries.values().stream().mapToInt(e -> e[0]).sum();
        int totalNonCooperation = unitEntries.values().stream().mapToInt(e -> e[1]).sum();
        String monthText = month.getYear() + " 年 " + month.getMonthValue() + " 月";
        return new Report(month, "经济责任制考核报告（业扩报装时限）", companyName, "考核月份：" + monthText, "考核办、客户代表",
                OffsetDateTime.now(clock).atZoneSameInstant(zone).format(ReturnVisits.DAY), units,
                units.stream().filter(u -> u.completed() > 0).toList(), nodeLines, overruns, cases[0], cases[1],
                rate(cases[1], cases[0]), totalOverruns, points(total), entries, totalNonCooperation);
    }

    private UnitLine unitLine(String unit, int[] n, int[] entries, BigDecimal deduction) {
        int percent = n[0] == 0 ? 0 : (int) Math.round(100.0 * n[1] / n[0]);
        return new UnitLine(unit, nameOf(unit), n[0], n[1], rate(n[1], n[0]), percent, n[0] > 0 && percent < 90, entries[0],
                points(deduction), entries[1]);
    }

    private EntryLine entryLine(AssessmentStore.Charge c) {
        String causeText = c.overrun()
                ? "超期 " + c.overrunDays() + " 天" + (c.completedAt() == null ? "（未完成）" : "")
                : "未按要求配合：" + c.reason();
        return new EntryLine(c.caseNo() == null ? "—" : c.caseNo(), c.unit(), nameOf(c.unit()),
                c.node() == null ? "—" : c.node().chinese(), c.overrun() ? "OVERRUN" : "NON_COOPERATION", causeText,
                minute(c.dueAt()), c.overrunDays(), points(c.deduction()), c.waived(),
                c.changeReason() == null ? "" : (c.waived() ? "已免除：" : "已更正：") + c.changeReason());
    }

    static String rate(int onTime, int completed) {
        return completed == 0 ? "—" : String.format(Locale.ROOT, "%.1f%%", 100.0 * onTime / completed);
    }

    private static String points(BigDecimal d) {
        return d.setScale(1, RoundingMode.HALF_UP).toPlainString();
    }

    private String minute(OffsetDateTime t) {
        return t == null ? "—" : t.atZoneSameInstant(zone).format(ReturnVisits.MINUTE);
    }

    static String nameOf(String unit) {
        if (unit.startsWith("station-")) {
            return unit.substring("station-".length()) + " 供电所";
        }
        try {
            return Unit.fromCode(unit).chinese();
        } catch (IllegalArgumentException e) {
            return unit;
        }
    }

    private static String names(String responsible) {
        List<String> names = new ArrayList<>();
        for (String u : responsible.split(",")) {
            names.add(nameOf(u));
        }
        return String.join("、", names);
    }

    public String csv(Report r) {
        Csv csv = new Csv().row("section", "key", "name", "completed", "on_time", "on_time_rate", "overruns", "deduction",
                "case_no", "node", "due", "done", "days_over", "cause", "reason");
        for (UnitLine u : r.units()) {
            csv.row("unit", u.unit(), u.name(), u.completed(), u.onTime(), u.rateText(), u.overruns(), u.deduction(), "", "", "", "", "",
                    "", "");
        }
        for (NodeLine n : r.nodes()) {
            csv.row("node", n.node(), n.name(), n.completed(), n.onTime(), n.rateText(), "", "", "", "", "", "", "", "", "");
        }
        csv.row("cases_all_on_time", "ENERGIZED_IN_MONTH", "全部环节按时", r.energizedCases(), r.allOnTimeCases(), r.allOnTimeText(),
                "", "", "", "", "", "", "", "", "");
        for (Overrun o : r.overruns()) {
            csv.row("overrun", "", o.units(), "", "", "", "", "", o.caseNo(), o.node(), o.due(), o.done(), o.daysOver(), "", "");
        }
        for (EntryLine e : r.entries()) {
            csv.row("entry", e.unit(), e.unitName(), "", "", "", "", e.deduction(), e.caseNo(), e.node(), e.due(), "",
                    e.cause().equals("OVERRUN") ? e.daysOver() : "", e.waived() ? e.cause() + " WAIVED" : e.cause(),
                    e.causeText() + (e.note().isEmpty() ? "" : "；" + e.note()));
        }
        csv.row("total", "", "", "", "", "", r.totalOverruns(), r.totalDeduction(), "", "", "", "", "", "", "");
        return csv.toString();
    }

    public byte[] pdf(Report r) {
        return renderer.renderReport("assessment-report.ftlh", r, "经济责任制考核报告 " + r.month(), "assessment " + r.month());
    }

    /** Computes the month, mails it to {@code assessment} and the representatives the first time (or when resending). */
    public Report produce(YearMonth month, boolean resend) {
        return tx.execute(status -> {
            runs.lock();
            Report r = compute(month);
            String csv = csv(r);
            if (runs.find(MonthlyRuns.ASSESSMENT, month).isPresent() && !resend) {
                log.info("Assessment report of {} was produced before: rebuilt, not mailed again", month);
                return r;
            }
            OffsetDateTime now = OffsetDateTime.now(clock);
            int mailing = runs.recordMailing(MonthlyRuns.ASSESSMENT, month, now, ReturnVisits.sha256(List.of(csv)));
            byte[] pdf = pdf(r);
            String name = "assessment-" + month;
            String subject = "【业扩报装】经济责任制考核报告 Assessment report " + month;
            String text = mails.text("assessment-report.ftl", Map.of("month", month.toString(),
                    "overruns", String.valueOf(r.totalOverruns()), "deduction", String.valueOf(r.totalDeduction()),
                    "allOnTime", String.valueOf(r.allOnTimeText()), "nonCooperation", String.valueOf(r.totalNonCooperation())));
            Map<String, String> to = new LinkedHashMap<>();
            to.put("assessment", mails.directory().addressOf(Unit.ASSESSMENT));
            to.put("reps", mails.directory().repsAddress());
            to.forEach((who, address) -> mails.send(MonthlyRuns.outboxId("assessment-" + month + "-" + who, mailing), address,
                    "ASSESSMENT_REPORT", subject, text, List.of(ReportMails.pdf(name, pdf), ReportMails.csv(name, csv)), now));
            log.info("Assessment report of {} mailed (mailing {}): {} overruns, {} points", month, mailing, r.totalOverruns(),
                    r.totalDeduction());
            return r;
        });
    }
}
