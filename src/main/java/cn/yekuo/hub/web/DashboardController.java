package cn.yekuo.hub.web;

import cn.yekuo.hub.assessment.AssessmentTrend;
import cn.yekuo.hub.documents.CaseDocuments;
import cn.yekuo.hub.queries.Agenda;
import cn.yekuo.hub.queries.CaseQueries;
import java.time.Clock;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import cn.yekuo.hub.domain.Stage;
import cn.yekuo.hub.outbox.Outbox;
import cn.yekuo.hub.security.SecurityConfiguration;

/**
 * The representatives' dashboard, rendered on the server (Thymeleaf, every value escaped by {@code th:text}).
 * Search terms travel in POST bodies, never in URLs; a case page's URL holds only the case number.
 */
@Controller
public class DashboardController {

    private final CaseQueries queries;
    private final CaseActions actions;
    private final CaseApiController api;
    private final ObjectProvider<CaseDocuments> documents;
    private final Clock clock;
    private final Outbox outbox;
    private final Agenda agenda;
    private final AgendaApiController agendaApi;
    private final AssessmentTrend trends;

    public DashboardController(CaseQueries queries, CaseActions actions, CaseApiController api,
                               ObjectProvider<CaseDocuments> documents, Clock clock, Outbox outbox, Agenda agenda,
                               AgendaApiController agendaApi, AssessmentTrend trends) {
        this.outbox = outbox;
        this.agenda = agenda;
        this.agendaApi = agendaApi;
        this.trends = trends;
        this.queries = queries;
        this.actions = actions;
        this.api = api;
        this.documents = documents;
        this.clock = clock;
    }

    /** The signed-in user's name for the page header. */
    @org.springframework.web.bind.annotation.ModelAttribute("user")
    public String user(java.security.Principal principal) {
        return principal == null ? "" : principal.getName();
    }

    @GetMapping("/login")
    public String login() {
        return "login";
    }

    @GetMapping("/")
    public String cases(@RequestParam(required = false) String stage, @RequestParam(required = false) String overdue,
                        @RequestParam(required = false) String page, Model model) {
        CaseQueries.Filter f = CaseApiController.filter(stage, overdue, null, "true");
        return list(model, f, page, "list");
    }

    @GetMapping("/overdue")
    public String overdue(@RequestParam(required = false) String page, Model model) {
        return list(model, new CaseQueries.Filter(null, true, null, true), page, "overdue");
    }

    /** Search by case number, customer or application number: the term is in the form body, not the URL. */
    @PostMapping("/search")
    public String search(@RequestParam(required = false) String q, @RequestParam(required = false) String page, Model model) {
        String term = q == null ? "" : q.strip();
        if (term.length() > CaseApiController.MAX_QUERY) {
            term = term.substring(0, CaseApiController.MAX_QUERY);
        }
        model.addAttribute("q", term);
        return list(model, new CaseQueries.Filter(null, false, term, false), page, "search");
    }

    private String list(Model model, CaseQueries.Filter f, String page, String view) {
        int p = CaseApiController.number("page", page, 0, 0, Integer.MAX_VALUE);
        model.addAttribute("result", queries.list(f, p, 25));
        model.addAttribute("filter", f);
        model.addAttribute("view", view);
        model.addAttribute("stages", Arrays.stream(Stage.values()).filter(s -> !s.isFinal()).toList());
        model.addAttribute("deadMails", outbox.deadCount(Outbox.MAIL)); // mails the relay gave up on wait for a person
        return "cases";
    }

    @GetMapping("/cases/{caseNo}")
    public String detail(@PathVariable String caseNo, Model model, Authentication user) {
        CaseQueries.CaseDetail d = queries.detail(caseNo)
                .orElseThrow(() -> ApiException.notFound("case " + caseNo + " is not known to the hub"));
        CaseApiController.CaseView view = CaseApiController.view(d, api.documentsOf(caseNo), api.mailsOf(caseNo), queries,
                api.roster());
        List<CaseActions.Action> offered = actions.offered(d.stage(), d.customerWait() != null, d.contractSigned(), !view.documents().isEmpty(),
                view.mails().stream().anyMatch(m -> "QUARANTINED".equals(m.status())));
        model.addAttribute("c", view);
        model.addAttribute("canAct", isRep(user) && !offered.isEmpty());
        model.addAttribute("documentsAvailable", documents.getIfAvailable() != null);
        model.addAttribute("actions", offered);
        model.addAttribute("representatives", api.roster().all());
        model.addAttribute("assessment", api.assessment(caseNo).entries());
        model.addAttribute("chargeable", cn.yekuo.hub.assessment.AssessmentEntries.CHARGEABLE);
        model.addAttribute("lead", isRep(user) && api.roster().byUser(user.getName()).filter(cn.yekuo.hub.cases.Roster.Representative::lead).isPresent());
        model.addAttribute("backdateDays", actions.backdateDays());
        return "case";
    }

    @GetMapping("/cases/{caseNo}/documents/{id}")
    public ResponseEntity<byte[]> document(@PathVariable String caseNo, @PathVariable String id) {
        return CaseApiController.documentResponse(caseNo, id, documents, queries);
    }

    @PostMapping("/cases/{caseNo}/actions/{action}")
    public String act(@PathVariable String caseNo, @PathVariable String action, @RequestParam Map<String, String> form,
                      Authentication user, RedirectAttributes redirect) {
        form.remove("_csrf");
        try {
            CaseActions.Done done = actions.perform(caseNo, action, form, user.getName());
            redirect.addFlashAttribute("done", done.action());
        } catch (ApiException e) {
            if (e.status().value() == 404) {
                throw e; // unknown case or action: the problem page
            }
            redirect.addFlashAttribute("failed", action);
            redirect.addFlashAttribute("failure", e.getMessage());
        }
        return "redirect:/cases/" + caseNo;
    }

    /** Cases shown on "my day" per request, at most (the most urgent first). */
    static final int MY_DAY_LIMIT = 500;

    /**
     * "My day": the signed-in representative's open cases by urgency, with what each waits for and on whom. A team
     * lead sees every representative's, grouped by representative ({@code ?rep=<id>}: one of them). A user who is no
     * representative of the roster (a viewer) has no cases of their own; a lead's page is theirs to read too.
     */
    @GetMapping("/my")
    public String my(@RequestParam(required = false) String rep, Model model, Authentication user) {
        cn.yekuo.hub.cases.Roster roster = api.roster();
        java.util.Optional<cn.yekuo.hub.cases.Roster.Representative> me = roster.byUser(user.getName());
        boolean lead = me.map(cn.yekuo.hub.cases.Roster.Representative::lead).orElse(false);
        List<cn.yekuo.hub.cases.Roster.Representative> shown;
        if (rep != null && !rep.isBlank()) {
            cn.yekuo.hub.cases.Roster.Representative chosen = roster.byId(rep.strip())
                    .orElseThrow(() -> ApiException.invalid("rep", "is not a representative of the roster"));
            if (!lead && me.map(m -> !m.id().equals(chosen.id())).orElse(true)) {
                throw new ApiException(org.springframework.http.HttpStatus.FORBIDDEN, "FORBIDDEN", "rep",
                        "only a team lead sees another representative's day");
            }
            shown = List.of(chosen);
        } else if (lead) {
            shown = roster.all();
        } else {
            shown = me.map(List::of).orElse(List.of());
        }
        List<CaseQueries.OpenCase> cases = queries.openCasesOf(
                shown.stream().map(cn.yekuo.hub.cases.Roster.Representative::id).toList(), roster.all().get(0).id(), MY_DAY_LIMIT);
        java.time.LocalDate today = java.time.LocalDate.now(clock.withZone(queries.zone()));
        model.addAttribute("days", MyDay.of(shown, cases, today, queries.zone()));
        model.addAttribute("me", me.orElse(null));
        model.addAttribute("lead", lead);
        model.addAttribute("roster", roster.all());
        model.addAttribute("selected", rep == null || rep.isBlank() ? null : rep.strip());
        model.addAttribute("limited", cases.size() >= MY_DAY_LIMIT);
        return "my";
    }

    /** On-time rate per responsible unit for a month, as an inline SVG bar chart. */
    @GetMapping("/report")
    public String report(@RequestParam(required = false) String month, Model model) {
        YearMonth m = month == null || month.isBlank() ? YearMonth.now(clock.withZone(queries.zone()))
                : ReportApiController.month(month);
        CaseQueries.MonthReport report = queries.month(m);
        List<Bar> bars = new ArrayList<>();
        int y = 0;
        for (CaseQueries.UnitRate r : report.units()) {
            Double rate = r.rate();
            int percent = rate == null ? 0 : (int) Math.round(rate * 100);
            bars.add(new Bar(r, y, rate == null ? 0 : percent * 4, percent,
                    rate == null ? "none" : percent >= 95 ? "good" : percent >= 80 ? "fair" : "poor"));
            y += 40;
        }
        model.addAttribute("report", report);
        model.addAttribute("bars", bars);
        model.addAttribute("chartHeight", Math.max(y, 40));
        // the trend of the twelve months ending with the month shown (issue 21 item 5)
        AssessmentTrend.Trend trend = trends.trend(m, TREND_MONTHS);
        model.addAttribute("trend", trend);
        model.addAttribute("charts", List.of(TrendChart.of("trend-units", "unit", trend.months(), trend.units()),
                TrendChart.of("trend-nodes", "node", trend.months(), trend.nodes()),
                TrendChart.of("trend-representatives", "representative", trend.months(), trend.representatives())));
        model.addAttribute("previous", m.minusMonths(1).toString());
        model.addAttribute("next", m.plusMonths(1).toString());
        return "report";
    }

    static final int TREND_MONTHS = 12;

    /** Every running clock of the next 14 days, day by day with the calendar's marks; overdue ones first (issue 21 item 3). */
    @GetMapping("/agenda")
    public String agenda(@RequestParam(required = false) String unit, @RequestParam(required = false) String rep, Model model) {
        Agenda.Filter filter = agendaApi.filter(unit, rep);
        model.addAttribute("agenda", agenda.read(AgendaApiController.DEFAULT_DAYS, filter));
        model.addAttribute("units", AgendaApiController.units());
        model.addAttribute("unit", filter.unit());
        model.addAttribute("representatives", api.roster().all());
        model.addAttribute("rep", filter.representative());
        model.addAttribute("days", AgendaApiController.DEFAULT_DAYS);
        return "agenda";
    }

    /** One bar of the chart: y offset, width in px (400 = 100 %), the percent, and a colour class. */
    public record Bar(CaseQueries.UnitRate rate, int y, int width, int percent, String level) {
    }


    static boolean isRep(Authentication user) {
        return user != null && user.getAuthorities().stream()
                .anyMatch(a -> a.getAuthority().equals("ROLE_" + SecurityConfiguration.REP));
    }
}
