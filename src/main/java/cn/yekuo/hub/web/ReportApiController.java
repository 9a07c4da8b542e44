package cn.yekuo.hub.web;

import cn.yekuo.hub.queries.CaseQueries;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import cn.yekuo.hub.assessment.AssessmentReports;
import cn.yekuo.hub.assessment.AssessmentTrend;
import cn.yekuo.hub.reports.MonthlyRuns;
import cn.yekuo.hub.returnvisits.ReturnVisits;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The monthly assessment report (经济责任制考核): JSON, or CSV by {@code Accept: text/csv}. */
@RestController
@Tag(name = "reports")
public class ReportApiController {

    private final CaseQueries queries;
    private final AssessmentReports reports;
    private final ReturnVisits returnVisits;
    private final MonthlyRuns runs;
    private final AssessmentTrend trends;

    public ReportApiController(CaseQueries queries, AssessmentReports reports, ReturnVisits returnVisits, MonthlyRuns runs,
                               AssessmentTrend trends) {
        this.trends = trends;
        this.queries = queries;
        this.reports = reports;
        this.returnVisits = returnVisits;
        this.runs = runs;
    }

    /** What a manual run of a monthly job did: the month and how many times it has been mailed so far. */
    public record MonthlyRun(String job, String month, int mailings) {
    }

    /**
     * Runs a monthly job for a month by hand (representatives): rebuilds it, mails it only if it never was, or again
     * with {@code resend=true}. Jobs: {@code return-visit-plans}, {@code return-visit-summary}, {@code assessment}.
     */
    @PostMapping("/api/reports/{job}/run")
    @Operation(summary = "Rebuild a monthly report (return-visit-plans, return-visit-summary, assessment); mailed again only with resend=true")
    public MonthlyRun run(@PathVariable String job, @RequestParam(required = false) String month,
                          @RequestParam(defaultValue = "false") boolean resend) {
        YearMonth m = month(month);
        String key = switch (job) {
            case "return-visit-plans" -> {
                returnVisits.producePlans(m, resend);
                yield MonthlyRuns.PLANS;
            }
            case "return-visit-summary" -> {
                returnVisits.produceSummary(m, resend);
                yield MonthlyRuns.SUMMARY;
            }
            case "assessment" -> {
                reports.produce(m, resend);
                yield MonthlyRuns.ASSESSMENT;
            }
            default -> throw ApiException.invalid("job", "must be return-visit-plans, return-visit-summary or assessment");
        };
        return new MonthlyRun(job, m.toString(), runs.find(key, m).map(MonthlyRuns.Run::mailings).orElse(0));
    }

    @GetMapping(path = "/api/reports/assessment", produces = {MediaType.APPLICATION_JSON_VALUE, "text/csv", MediaType.APPLICATION_PDF_VALUE})
    @Operation(summary = "Assessment entries and on-time rate per unit for a month: JSON, or the monthly report as text/csv or application/pdf")
    public ResponseEntity<?> assessment(@RequestParam(required = false) String month,
                                        @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
        YearMonth m = month(month);
        String a = accept == null ? "" : accept.toLowerCase();
        // CSV and PDF are the monthly report mailed on the 1st (issue 6): the same computation, rebuilt on request
        if (a.contains("text/csv")) {
            return ResponseEntity.ok()
                    .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"assessment-" + m + ".csv\"")
                    .body(reports.csv(reports.compute(m)));
        }
        if (a.contains("application/pdf") && !a.contains("json")) {
            return ResponseEntity.ok()
                    .contentType(MediaType.APPLICATION_PDF)
                    .header(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"assessment-" + m + ".pdf\"")
                    .body(reports.pdf(reports.compute(m)));
        }
        CaseQueries.MonthReport report = queries.month(m);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(report);
    }

    static final int MAX_TREND_MONTHS = 36;

    /**
     * The on-time rate per unit and per node for each of the {@code months} months ending with {@code to} (default: the
     * current month, to date): JSON, or CSV with {@code Accept: text/csv} or {@code format=csv}.
     */
    @GetMapping(path = "/api/reports/trend", produces = {MediaType.APPLICATION_JSON_VALUE, "text/csv"})
    @Operation(summary = "On-time rate (on-time completed clocks / completed clocks) per unit and per node, month by month: JSON, "
            + "or text/csv (Accept or format=csv)")
    public ResponseEntity<?> trend(@RequestParam(required = false) String months, @RequestParam(required = false) String to,
                                   @RequestParam(required = false) String format,
                                   @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
        int n = CaseApiController.number("months", months, 12, 1, MAX_TREND_MONTHS);
        YearMonth last = to == null || to.isBlank() ? trends.currentMonth() : month("to", to);
        boolean csv = format != null && !format.isBlank() ? switch (format.strip()) {
            case "csv" -> true;
            case "json" -> false;
            default -> throw ApiException.invalid("format", "must be csv or json");
        } : accept != null && accept.toLowerCase().contains("text/csv");
        AssessmentTrend.Trend trend = trends.trend(last, n);
        if (csv) {
            return ResponseEntity.ok()
                    .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"trend-" + trend.from() + "-" + trend.to() + ".csv\"")
                    .body(trends.csv(trend));
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(trend);
    }

    static YearMonth month(String month) {
        return month("month", month);
    }

    static YearMonth month(String field, String month) {
        if (month == null || month.isBlank()) {
            throw ApiException.invalid(field, "is required, e.g. 2026-11");
        }
        try {
            return YearMonth.parse(month.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(field, "must be a month like 2026-11");
        }
    }
}
